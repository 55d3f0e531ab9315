import type { EffectContext, Plan, RemediationAction, StepSummary } from './remediation-action';
import type { RemediationRecord } from './remediation-record';
import type { PlannedAction } from './verdict-plan';
import type { VersionState } from './version-state';

export type BeforePatch = (plan: Extract<Plan, { kind: 'patch' }>, before: VersionState) => Promise<void>;

/** What the loop needs from the outside world; production passes the ARM + Table implementations. */
export interface PlanPorts {
  /** Runs one step once (its own row; read, compare, patch, verify), calling `beforePatch` first. */
  readonly runStep: (
    planned: PlannedAction,
    record: RemediationRecord,
    beforePatch: BeforePatch,
  ) => Promise<StepSummary>;
  /** Read-modify-write of the version's record (ETag-guarded); returns the record written. */
  readonly updateRecord: (
    change: (record: RemediationRecord) => RemediationRecord,
  ) => Promise<RemediationRecord>;
}

export interface DoneStep {
  readonly action: RemediationAction<unknown>;
  readonly step: StepSummary;
}

export interface PlanRun {
  readonly done: readonly DoneStep[];
  readonly record: RemediationRecord;
}

function settle(
  record: RemediationRecord,
  done: readonly DoneStep[],
  context: EffectContext,
): RemediationRecord {
  return done.reduce(
    (next, { action, step }) =>
      step.outcome === 'failed'
        ? { ...next, remediationFailedRunId: context.runId }
        : (action.settle?.(next, step, context) ?? next),
    record,
  );
}

/**
 * Runs a verdict's planned actions in order and stops at the first that fails for good. Each action
 * records what it is about to own before its PATCH (`claim`) and what its outcome means once all have
 * run (`settle`); the loop itself knows no action by name.
 */
export async function runPlan(
  planned: readonly PlannedAction[],
  record: RemediationRecord,
  context: EffectContext,
  ports: PlanPorts,
): Promise<PlanRun> {
  let current = record;
  const done: DoneStep[] = [];
  for (const step of planned) {
    const { action } = step;
    const claim = action.claim;
    const summary = await ports.runStep(step, current, async (plan, before) => {
      if (claim === undefined) return;
      current = await ports.updateRecord((r) => claim(r, { patch: plan.patch, before }, context));
    });
    done.push({ action, step: summary });
    if (summary.outcome === 'failed') break;
  }
  current = await ports.updateRecord((r) => settle(r, done, context));
  return { done, record: current };
}

export function failedStep(done: readonly DoneStep[]): StepSummary | undefined {
  return done.find((d) => d.step.outcome === 'failed')?.step;
}

/** True when a quarantining action ran (or found its work done): the version is out of latest. */
export function keptOutOfLatest(done: readonly DoneStep[]): boolean {
  return done.some(
    (d) => d.action.quarantines === true && (d.step.outcome === 'applied' || d.step.outcome === 'skipped'),
  );
}
