import {
  newRollout,
  nextRolloutStep,
  promoted,
  regionalVerdicts,
  regionsToExclude,
  rolloutOrder,
  stopped,
  type Rollout,
} from '../../../shared/rollout/rollout-plan';
import { rolloutSummary } from '../../../shared/rollout/rollout-summary';
import type { CheckResult, VerdictReport } from '../../../shared/verdict/verdict';

const T0 = new Date('2026-12-01T10:00:00Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);
const settings = { soakMinutes: 30, pollMs: 60_000 };
const done = { eastus: 'Completed', westeurope: 'Completed', northeurope: 'Completed' };

function report(checks: CheckResult[], regions = ['eastus', 'westeurope', 'northeurope']): VerdictReport {
  const verdict = checks.some((c) => c.status === 'Failed') ? 'Failed' : 'Passed';
  return {
    runId: 'run-1',
    versionId:
      '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.1.0',
    verdict,
    checks,
    regions,
    bootSeconds: {},
    decidedAt: T0.toISOString(),
  };
}
const pass = (region: string): CheckResult => ({
  name: 'provisioning',
  status: 'Passed',
  reason: 'ok',
  region,
});
const fail = (region: string): CheckResult => ({
  name: 'provisioning',
  status: 'Failed',
  reason: 'panic',
  region,
});

function started(checks: CheckResult[], order = ['westeurope']): Rollout {
  const r = newRollout(report(checks), ['eastus', 'West Europe', 'northeurope'], { order }, T0);
  return { ...r, regionsHeld: true };
}

describe('rolloutOrder', () => {
  it('puts configured regions first in their order, then the rest alphabetically', () => {
    expect(
      rolloutOrder(['West Europe', 'eastus', 'northeurope', 'centralus'], ['northeurope', 'eastus']),
    ).toEqual(['northeurope', 'eastus', 'centralus', 'westeurope']);
  });
  it('ignores configured regions the version is not published to', () => {
    expect(rolloutOrder(['eastus'], ['westus', 'eastus'])).toEqual(['eastus']);
  });
});

describe('regionalVerdicts', () => {
  it('decides each region from its own checks plus the checks of no region', () => {
    const identity: CheckResult = { name: 'ssh-host-keys-unique', status: 'Passed', reason: 'unique' };
    expect(
      regionalVerdicts(report([pass('eastus'), fail('westeurope'), pass('northeurope'), identity])),
    ).toEqual({
      eastus: 'Passed',
      westeurope: 'Failed',
      northeurope: 'Passed',
    });
  });
  it('a region-less failure fails every region', () => {
    const clash: CheckResult = { name: 'ssh-host-keys-unique', status: 'Failed', reason: 'same keys' };
    expect(Object.values(regionalVerdicts(report([pass('eastus'), clash], ['eastus'])))).toEqual(['Failed']);
  });
  it('an Inconclusive run is Inconclusive in every region', () => {
    const r = { ...report([pass('eastus')], ['eastus']), verdict: 'Inconclusive' as const };
    expect(regionalVerdicts(r)).toEqual({ eastus: 'Inconclusive' });
  });
});

describe('nextRolloutStep', () => {
  const all = [pass('eastus'), pass('westeurope'), pass('northeurope')];

  it('holds every region before the first promotion', () => {
    const r = newRollout(report(all), ['eastus'], { order: [] }, T0);
    expect(nextRolloutStep(r, done, T0, settings)).toEqual({ kind: 'hold-regions' });
  });

  it('promotes the canary first, then waits out the soak, then the next region', () => {
    let r = started(all);
    expect(nextRolloutStep(r, done, T0, settings)).toEqual({ kind: 'promote', region: 'westeurope' });
    r = promoted(r, 'westeurope', T0);
    const wait = nextRolloutStep(r, done, minutes(10), settings);
    expect(wait).toMatchObject({ kind: 'wait', until: minutes(30) });
    expect(nextRolloutStep(r, done, minutes(30), settings)).toEqual({ kind: 'promote', region: 'eastus' });
    r = promoted(promoted(r, 'eastus', minutes(30)), 'northeurope', minutes(60));
    expect(nextRolloutStep(r, done, minutes(61), settings)).toEqual({ kind: 'complete' });
  });

  it('waits for the region whose replication has not completed, polling', () => {
    const r = started(all);
    const step = nextRolloutStep(r, { ...done, westeurope: 'Replicating' }, T0, settings);
    expect(step).toMatchObject({ kind: 'wait', until: minutes(1) });
    expect(step.kind === 'wait' && step.reason).toContain('replicating');
  });

  it('stops at the first failing region in rollout order', () => {
    let r = started([pass('eastus'), fail('westeurope'), pass('northeurope')], ['eastus', 'westeurope']);
    r = promoted(r, 'eastus', T0);
    const step = nextRolloutStep(r, done, minutes(31), settings);
    expect(step).toMatchObject({ kind: 'stop', failedRegion: 'westeurope' });
  });

  it('stops without a failure at a region that was not tested (never promotes it or those after)', () => {
    const untested = newRollout(
      report([pass('eastus')], ['eastus']),
      ['eastus', 'northeurope'],
      { order: ['northeurope'] },
      T0,
    );
    const step = nextRolloutStep({ ...untested, regionsHeld: true }, done, T0, settings);
    expect(step).toEqual({ kind: 'stop', reason: 'northeurope: not tested; not promoted there or after it' });
  });

  it('stops when replication to the next region failed', () => {
    const r = started(all);
    expect(nextRolloutStep(r, { ...done, westeurope: 'Failed' }, T0, settings)).toMatchObject({
      kind: 'stop',
    });
  });
});

describe('stopped', () => {
  const checks = [pass('eastus'), fail('westeurope'), pass('northeurope')];
  const step = {
    kind: 'stop' as const,
    failedRegion: 'westeurope',
    reason: 'validation failed in westeurope',
  };

  it('rolls back the promoted regions and quarantines the rest (roll-back)', () => {
    const r = stopped(
      promoted(started(checks, ['eastus', 'westeurope']), 'eastus', T0),
      step,
      'roll-back',
      minutes(1),
    );
    expect(r.status).toBe('stopped');
    expect(r.regions.map((x) => [x.name, x.state])).toEqual([
      ['eastus', 'rolled-back'],
      ['westeurope', 'failed'],
      ['northeurope', 'quarantined'],
    ]);
    expect(regionsToExclude(r)).toEqual(['eastus', 'westeurope', 'northeurope']);
    expect(rolloutSummary(r)).toBe(
      'Regional rollout stopped (validation failed in westeurope): eastus rolled back, westeurope failed, northeurope quarantined.',
    );
  });

  it('keeps the promoted regions (keep)', () => {
    const r = stopped(
      promoted(started(checks, ['eastus', 'westeurope']), 'eastus', T0),
      step,
      'keep',
      minutes(1),
    );
    expect(r.regions.map((x) => x.state)).toEqual(['promoted', 'failed', 'quarantined']);
    expect(regionsToExclude(r)).toEqual(['westeurope', 'northeurope']);
  });

  it('holds (never quarantines, never rolls back) when nothing failed', () => {
    const r = stopped(
      promoted(started([pass('eastus')], ['eastus']), 'eastus', T0),
      { kind: 'stop', reason: 'northeurope: not tested' },
      'roll-back',
      minutes(1),
    );
    expect(r.regions.map((x) => x.state)).toEqual(['promoted', 'held', 'held']);
  });
});
