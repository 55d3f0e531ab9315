import { describeActionTaken } from '../../../shared/remediation/action-taken';
import { endOfLife } from '../../../shared/remediation/actions/end-of-life';
import { actionRegistry } from '../../../shared/remediation/registry';
import type { StepSummary } from '../../../shared/remediation/remediation-action';
import { excludeOneRegion } from './exclude-one-region';
import { firstContactRecord, type RemediationRecord } from '../../../shared/remediation/remediation-record';
import { keptOutOfLatest, runPlan, type PlanPorts } from '../../../shared/remediation/run-plan';
import { loadVerdictPlan, type VerdictPlanData } from '../../../shared/remediation/verdict-plan';
import { regionKey, type VersionState } from '../../../shared/remediation/version-state';

const NOW = new Date('2026-11-27T10:00:00.000Z');
const ID =
  '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0';
const EFFECT = { runId: 'run-1', now: NOW, actor: 'gallery-guard' };

// The test registry: the new action's one line, next to a real one.
const registry = actionRegistry([excludeOneRegion, endOfLife]);

function planData(): VerdictPlanData {
  const none = { Passed: [], Failed: [], Inconclusive: [] };
  const failed = [
    { action: 'exclude-one-region', params: { region: 1 } },
    { action: 'end-of-life', params: { graceDays: 3 } },
  ];
  return { 'report-only': none, quarantine: { ...none, Failed: failed }, gate: none };
}

/** The loop's outside world in memory: one version's flags and its record (pure logic, no Azure). */
function memory(state: VersionState, record: RemediationRecord, fail?: string) {
  const world = { state, record, order: [] as string[] };
  const ports: PlanPorts = {
    runStep: async ({ action, params }, current, beforePatch): Promise<StepSummary> => {
      world.order.push(`run ${action.name}`);
      if (action.name === fail) return { action: action.name, outcome: 'failed', reason: 'permanent error' };
      const before = world.state;
      const plan = action.plan(before, params, { now: NOW, record: current });
      if (plan.kind !== 'patch') {
        const outcome = plan.kind === 'skip' ? 'skipped' : 'refused';
        return { action: action.name, outcome, reason: plan.reason, before, after: before };
      }
      await beforePatch(plan, before);
      world.order.push(`patch ${action.name}`);
      const { regions = {}, endOfLifeDate } = plan.patch;
      world.state = {
        ...before,
        regions: before.regions.map((r) => ({
          ...r,
          excludeFromLatest: regions[regionKey(r.name)] ?? r.excludeFromLatest,
        })),
        ...(endOfLifeDate === undefined ? {} : { endOfLifeDate: endOfLifeDate ?? undefined }),
      };
      return { action: action.name, outcome: 'applied', reason: plan.reason, before, after: world.state };
    },
    updateRecord: (change) => {
      world.order.push('record');
      world.record = change(world.record);
      return Promise.resolve(world.record);
    },
  };
  return { world, ports };
}

const published: VersionState = {
  excludeFromLatest: false,
  regions: [
    { name: 'East US', excludeFromLatest: false },
    { name: 'West Europe', excludeFromLatest: false },
  ],
  tags: {},
};

describe('the verdict loop with an action registered in a test registry', () => {
  it('runs the new action from the plan: validated params, its claim before the PATCH, its settle, its description', async () => {
    const plan = loadVerdictPlan(planData(), registry);
    const record = firstContactRecord(ID, published, 'quarantine', NOW);
    const { world, ports } = memory(published, record);

    const run = await runPlan(plan.quarantine.Failed, record, EFFECT, ports);

    expect(run.done.map((d) => [d.step.action, d.step.outcome])).toEqual([
      ['exclude-one-region', 'applied'],
      ['end-of-life', 'applied'],
    ]);
    expect(world.state.regions.map((r) => r.excludeFromLatest)).toEqual([false, true]);
    expect(world.order).toEqual([
      'run exclude-one-region',
      'record', // the new action's claim, before its PATCH
      'patch exclude-one-region',
      'run end-of-life',
      'record',
      'patch end-of-life',
      'record', // every action's settle, once at the end
    ]);
    expect(run.record).toMatchObject({
      ownedRegionExclusions: ['westeurope'],
      ownedEndOfLife: true,
      quarantinedRunId: 'run-1',
    });
    expect(world.state.endOfLifeDate).toBe('2026-11-30T10:00:00.000Z');
    expect(keptOutOfLatest(run.done)).toBe(true);
    expect(describeActionTaken('Failed', 'quarantine', run.done, run.record)).toBe(
      'Excluded one region; end of life set to 2026-11-30T10:00:00.000Z.',
    );
  });

  it('stops at the first action that fails for good and records the failure, not the action’s effect', async () => {
    const plan = loadVerdictPlan(planData(), registry);
    const record = firstContactRecord(ID, published, 'quarantine', NOW);
    const { world, ports } = memory(published, record, 'exclude-one-region');

    const run = await runPlan(plan.quarantine.Failed, record, EFFECT, ports);

    expect(run.done.map((d) => d.step.outcome)).toEqual(['failed']);
    expect(world.order).toEqual(['run exclude-one-region', 'record']);
    expect(run.record.remediationFailedRunId).toBe('run-1');
    expect(run.record.quarantinedRunId).toBeUndefined();
    expect(keptOutOfLatest(run.done)).toBe(false);
    expect(describeActionTaken('Failed', 'quarantine', run.done, run.record)).toBe(
      'Remediation FAILED (exclude-one-region: permanent error). On-call paged.',
    );
  });

  it('checks the new action’s parameters when the plan loads, and the shipped registry does not know it', () => {
    const bad = planData();
    const cells = { ...bad.quarantine, Failed: [{ action: 'exclude-one-region', params: { region: 64 } }] };
    expect(() => loadVerdictPlan({ ...bad, quarantine: cells }, registry)).toThrow(
      'verdict plan quarantine/Failed: exclude-one-region: region must be a whole number from 0 to 63',
    );
    expect(() => loadVerdictPlan(planData())).toThrow(/unknown remediation action "exclude-one-region"/);
  });
});
