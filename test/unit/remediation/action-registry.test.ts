import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createServices } from '../../../shared/app/services';
import { PolicyError } from '../../../shared/azure/action-errors';
import { loadConfig } from '../../../shared/config';
import { ConfigError } from '../../../shared/config/setting';
import { PARAM_TYPES, type ParamSchema } from '../../../shared/remediation/actions/params';
import { remediationActions } from '../../../shared/remediation/registry';
import type { StepSummary } from '../../../shared/remediation/remediation-action';
import {
  loadVerdictPlan,
  verdictPlanData,
  type VerdictPlanData,
} from '../../../shared/remediation/verdict-plan';

const ROOT = path.resolve(__dirname, '../../..');
const ACTIONS_DIR = path.join(ROOT, 'shared/remediation/actions');

/** Values the schema accepts (its bounds) and values it must refuse, per parameter. */
function samples(schema: ParamSchema): { good: Record<string, number>[]; bad: Record<string, unknown>[] } {
  const entries = Object.entries(schema);
  const at = (pick: (min: number, max: number) => number) =>
    Object.fromEntries(entries.map(([name, spec]) => [name, pick(spec.minimum, spec.maximum)]));
  const low = at((min) => min);
  const bad = entries.flatMap(([name, spec]) => [
    { ...low, [name]: spec.minimum - 1 },
    { ...low, [name]: spec.maximum + 1 },
    { ...low, [name]: spec.minimum + 0.5 },
    { ...low, [name]: String(spec.minimum) },
  ]);
  return { good: [low, at((_min, max) => max)], bad: [...bad, { ...low, notDeclared: 1 }] };
}

describe('every registered remediation action', () => {
  const actions = Object.entries(remediationActions);

  it('is registered under its own name, one file per action', () => {
    const files = readdirSync(ACTIONS_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'params.ts')
      .map((f) => f.replace(/\.ts$/, ''))
      .sort();
    expect(actions.map(([name]) => name).sort()).toEqual(files);
    for (const [name, action] of actions) {
      expect(action.name).toBe(name);
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    }
  });

  it.each(actions)('%s declares a well-formed schema that its validate enforces', (name, action) => {
    expect(action.description.length).toBeGreaterThan(10);
    for (const [param, spec] of Object.entries(action.schema)) {
      expect(PARAM_TYPES).toContain(spec.type);
      expect(spec.description.length).toBeGreaterThan(5);
      expect(Number.isInteger(spec.minimum) && Number.isInteger(spec.maximum)).toBe(true);
      expect(spec.minimum).toBeLessThanOrEqual(spec.maximum);
      expect(param).toMatch(/^[a-z][A-Za-z]*$/);
    }
    const { good, bad } = samples(action.schema);
    for (const params of good) expect(action.validate(params)).toEqual(params);
    for (const params of bad) expect(() => action.validate(params)).toThrow(PolicyError);
    expect(() => action.validate('graceDays=1')).toThrow(new RegExp(name));
    if (Object.keys(action.schema).length === 0) expect(action.validate(undefined)).toEqual({});
  });

  it.each(actions)('%s says in one clause what each outcome did', (name, action) => {
    for (const outcome of ['applied', 'skipped', 'refused'] as const) {
      const step: StepSummary = { action: name, outcome, reason: 'because' };
      expect(action.describe(step).trim().length).toBeGreaterThan(5);
    }
  });
});

describe('the verdict loop', () => {
  it('names no action: adding one needs no edit there', () => {
    const loop = ['run-plan.ts', 'run-verdict-actions.ts', 'action-taken.ts'].map((f) =>
      readFileSync(path.join(ROOT, 'shared/remediation', f), 'utf8'),
    );
    for (const name of Object.keys(remediationActions)) {
      for (const source of loop) expect(source).not.toContain(`'${name}'`);
    }
  });
});

describe('the verdict plan', () => {
  const names = (data: VerdictPlanData) => {
    const plan = loadVerdictPlan(data);
    return Object.fromEntries(
      Object.entries(plan).map(([mode, cells]) => [
        mode,
        Object.fromEntries(Object.entries(cells).map(([v, steps]) => [v, steps.map((s) => s.action.name)])),
      ]),
    );
  };

  it('quarantines a failure in quarantine and gate mode, promotes a pass in gate mode, never acts on inconclusive', () => {
    expect(names(verdictPlanData({ eolGraceDays: 7 }))).toEqual({
      'report-only': { Passed: [], Failed: [], Inconclusive: [] },
      quarantine: { Passed: [], Failed: ['exclude-from-latest', 'end-of-life'], Inconclusive: [] },
      gate: { Passed: ['promote'], Failed: ['exclude-from-latest', 'end-of-life'], Inconclusive: [] },
    });
    const eol = loadVerdictPlan(verdictPlanData({ eolGraceDays: 7 })).gate.Failed[1];
    expect(eol?.params).toEqual({ graceDays: 7 });
  });

  it('refuses a bad parameter when loaded, naming the setting it came from', () => {
    expect(() => loadVerdictPlan(verdictPlanData({ eolGraceDays: 4000 }))).toThrow(ConfigError);
    expect(() => loadVerdictPlan(verdictPlanData({ eolGraceDays: -1 }))).toThrow(
      'Invalid setting GG_EOL_GRACE_DAYS: end-of-life: graceDays must be a whole number from 0 to 3650',
    );
  });

  it('refuses unknown actions, duplicates, missing cells and any action on an inconclusive run', () => {
    const base = verdictPlanData({ eolGraceDays: 0 });
    // Deliberately malformed data, as a hand-edited plan could be.
    const withCell = (mode: string, verdict: string, steps: unknown): VerdictPlanData =>
      ({ ...base, [mode]: { ...base[mode], [verdict]: steps } }) as unknown as VerdictPlanData;
    expect(() => loadVerdictPlan(withCell('gate', 'Passed', [{ action: 'delete-version' }]))).toThrow(
      'verdict plan gate/Passed: unknown remediation action "delete-version"',
    );
    expect(() =>
      loadVerdictPlan(withCell('gate', 'Passed', [{ action: 'promote' }, { action: 'promote' }])),
    ).toThrow(/"promote" is listed twice/);
    expect(() =>
      loadVerdictPlan(withCell('quarantine', 'Inconclusive', [{ action: 'exclude-from-latest' }])),
    ).toThrow('verdict plan quarantine/Inconclusive: an inconclusive run never changes Azure');
    expect(() =>
      loadVerdictPlan(withCell('gate', 'Passed', [{ action: 'promote', params: { force: true } }])),
    ).toThrow('verdict plan gate/Passed: promote takes no parameters');
    expect(() => loadVerdictPlan(withCell('quarantine', 'Passed', undefined))).toThrow(
      'verdict plan quarantine/Passed: no list of actions',
    );
    expect(() => loadVerdictPlan(withCell('lenient', 'Failed', []))).toThrow(/unknown mode "lenient"/);
    const { gate: _gate, ...noGate } = base;
    expect(() => loadVerdictPlan(noGate)).toThrow('verdict plan: no entry for mode "gate"');
  });

  it('is loaded by the composition root, so a bad parameter stops start-up', () => {
    const config = loadConfig({
      AzureWebJobsStorage: 'UseDevelopmentStorage=true',
      GG_ARM_ENDPOINT: 'https://arm.test',
      GG_GALLERY_SCOPES:
        '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
    });
    expect(() => createServices(config)).not.toThrow();
    const bad = { ...config, remediation: { ...config.remediation, eolGraceDays: 3651 } };
    expect(() => createServices(bad)).toThrow(/GG_EOL_GRACE_DAYS/);
  });
});
