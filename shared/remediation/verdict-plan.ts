import { PolicyError } from '../azure/action-errors';
import { ConfigError } from '../config/setting';
import { remediation as remediationSettings } from '../config/settings';
import type { Config, RemediationMode } from '../config';
import { MODES } from '../policy/remediation-policy';
import { Verdict } from '../verdict/verdict';
import { remediationActions, type ActionRegistry } from './registry';
import type { RemediationAction } from './remediation-action';

/** One step of the plan as data: an action by name, its parameters and where they came from. */
export interface PlanStep {
  readonly action: string;
  readonly params?: Readonly<Record<string, unknown>>;
  /** The setting (or tag) the parameters were read from: a bad value's error names it. */
  readonly from?: string;
}

/** Which actions a verdict calls for under each mode, in order. */
export type VerdictPlanData = Readonly<Record<string, Readonly<Record<string, readonly PlanStep[]>>>>;

/** A loaded plan: every action found in the registry, every parameter validated. */
export interface PlannedAction {
  readonly action: RemediationAction<unknown>;
  readonly params: unknown;
}

export type VerdictPlan = Readonly<
  Record<RemediationMode, Readonly<Record<Verdict, readonly PlannedAction[]>>>
>;

/** gallery-guard's policy: quarantine a failed version (both modes that act), lift the gate on a pass. */
export function verdictPlanData(settings: Pick<Config['remediation'], 'eolGraceDays'>): VerdictPlanData {
  const quarantine: readonly PlanStep[] = [
    { action: 'exclude-from-latest' },
    {
      action: 'end-of-life',
      params: { graceDays: settings.eolGraceDays },
      from: remediationSettings.eolGraceDays.name,
    },
  ];
  return {
    'report-only': { Failed: [], Passed: [], Inconclusive: [] },
    quarantine: { Failed: quarantine, Passed: [], Inconclusive: [] },
    gate: { Failed: quarantine, Passed: [{ action: 'promote' }], Inconclusive: [] },
  };
}

const VERDICTS: readonly Verdict[] = Object.values(Verdict);

function loadStep(registry: ActionRegistry, where: string, step: PlanStep): PlannedAction {
  const action = Object.hasOwn(registry, step.action) ? registry[step.action] : undefined;
  if (action === undefined) throw new PolicyError(`${where}: unknown remediation action "${step.action}"`);
  try {
    return { action, params: action.validate(step.params) };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    if (step.from !== undefined) throw new ConfigError(step.from, error.message);
    throw new PolicyError(`${where}: ${error.message}`);
  }
}

/**
 * Checks the plan once, at start-up: every mode and verdict present and nothing else, every action
 * registered and at most once per verdict, every parameter valid, and an inconclusive run never
 * changes Azure. Throws ConfigError (naming the setting) or PolicyError (naming mode and verdict).
 */
export function loadVerdictPlan(
  data: VerdictPlanData,
  registry: ActionRegistry = remediationActions,
): VerdictPlan {
  const unknownModes = Object.keys(data).filter((m) => !(MODES as readonly string[]).includes(m));
  if (unknownModes.length > 0) throw new PolicyError(`verdict plan: unknown mode "${unknownModes[0]}"`);
  const row = (mode: RemediationMode): Readonly<Record<Verdict, readonly PlannedAction[]>> => {
    const cells = Object.hasOwn(data, mode) ? data[mode] : undefined;
    if (cells === undefined) throw new PolicyError(`verdict plan: no entry for mode "${mode}"`);
    const unknownVerdicts = Object.keys(cells).filter((v) => !(VERDICTS as readonly string[]).includes(v));
    if (unknownVerdicts.length > 0) {
      throw new PolicyError(`verdict plan ${mode}: unknown verdict "${unknownVerdicts[0]}"`);
    }
    const cell = (verdict: Verdict): readonly PlannedAction[] => {
      const where = `verdict plan ${mode}/${verdict}`;
      const steps = Object.hasOwn(cells, verdict) ? cells[verdict] : undefined;
      if (steps === undefined) throw new PolicyError(`${where}: no list of actions`);
      if (verdict === Verdict.Inconclusive && steps.length > 0) {
        throw new PolicyError(`${where}: an inconclusive run never changes Azure`);
      }
      const names = steps.map((s) => s.action);
      const twice = names.find((n, i) => names.indexOf(n) !== i);
      if (twice !== undefined) throw new PolicyError(`${where}: "${twice}" is listed twice`);
      return steps.map((step) => loadStep(registry, where, step));
    };
    return {
      Passed: cell(Verdict.Passed),
      Failed: cell(Verdict.Failed),
      Inconclusive: cell(Verdict.Inconclusive),
    };
  };
  return { 'report-only': row('report-only'), quarantine: row('quarantine'), gate: row('gate') };
}
