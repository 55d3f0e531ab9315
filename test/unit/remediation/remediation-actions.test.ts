import { PolicyError } from '../../../shared/azure/action-errors';
import { HOLD_TAG } from '../../../shared/remediation/actions/promote';
import { remediationAction, remediationActions } from '../../../shared/remediation/registry';
import { firstContactRecord, type RemediationRecord } from '../../../shared/remediation/remediation-record';
import { patchSatisfied, type Plan } from '../../../shared/remediation/remediation-action';
import type { VersionState } from '../../../shared/remediation/version-state';

const NOW = new Date('2026-11-27T10:00:00.000Z');
const ID =
  '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0';

function state(
  version: boolean,
  eastus: boolean,
  westeurope: boolean,
  extra: Partial<VersionState> = {},
): VersionState {
  return {
    excludeFromLatest: version,
    regions: [
      { name: 'East US', excludeFromLatest: eastus },
      { name: 'westeurope', excludeFromLatest: westeurope },
    ],
    tags: {},
    ...extra,
  };
}

function plan(name: string, current: VersionState, record: RemediationRecord, params?: unknown): Plan {
  const action = remediationAction(name);
  return action.plan(current, action.validate(params), { now: NOW, record });
}

const published = (s: VersionState, mode: 'gate' | 'quarantine' = 'gate') =>
  firstContactRecord(ID, s, mode, NOW);

describe('remediation action registry', () => {
  it('loads every registered action with a name, description and schema', () => {
    expect(Object.keys(remediationActions).sort()).toEqual([
      'end-of-life',
      'exclude-from-latest',
      'promote',
      'release',
    ]);
    for (const action of Object.values(remediationActions)) {
      expect(action.description.length).toBeGreaterThan(10);
      expect(typeof action.schema).toBe('object');
    }
  });

  it('fails at load on an unknown action or bad parameters', () => {
    expect(() => remediationAction('delete-version')).toThrow(PolicyError);
    expect(() => remediationAction('end-of-life').validate({ graceDays: -1 })).toThrow(/graceDays/);
    expect(() => remediationAction('end-of-life').validate({ graceDays: 1.5 })).toThrow(PolicyError);
    expect(() => remediationAction('promote').validate({ force: true })).toThrow(/no parameters/);
  });
});

describe('exclude-from-latest', () => {
  it('excludes the version and every region, and skips when already so', () => {
    const p = plan(
      'exclude-from-latest',
      state(false, false, true),
      published(state(false, false, false), 'quarantine'),
    );
    expect(p).toEqual({
      kind: 'patch',
      patch: { excludeFromLatest: true, regions: { eastus: true, westeurope: true } },
      reason: 'failed validation',
    });
    expect(
      plan('exclude-from-latest', state(true, true, true), published(state(false, false, false))).kind,
    ).toBe('skip');
  });
});

describe('end-of-life', () => {
  it('sets now + grace, keeps an earlier date, replaces a later one', () => {
    const record = published(state(false, false, false));
    const p = plan('end-of-life', state(true, true, true), record, { graceDays: 7 });
    expect(p).toMatchObject({ kind: 'patch', patch: { endOfLifeDate: '2026-12-04T10:00:00.000Z' } });
    const earlier = state(true, true, true, { endOfLifeDate: '2026-01-01T00:00:00.000Z' });
    expect(plan('end-of-life', earlier, record, { graceDays: 0 }).kind).toBe('skip');
    const later = state(true, true, true, { endOfLifeDate: '2030-01-01T00:00:00.000Z' });
    expect(plan('end-of-life', later, record, { graceDays: 0 }).kind).toBe('patch');
  });
});

describe('promote (gate mode)', () => {
  it('lifts exactly the exclusions the version was published with', () => {
    const record = published(state(true, true, false));
    const p = plan('promote', state(true, true, false), record);
    expect(p).toEqual({
      kind: 'patch',
      patch: { excludeFromLatest: false, regions: { eastus: false } },
      reason: 'passed validation; lifting the gate',
    });
  });

  it('never re-includes a region a person excluded after publication', () => {
    const record = published(state(true, false, false));
    const p = plan('promote', state(true, false, true), record); // westeurope excluded later by a person
    expect(p).toMatchObject({ kind: 'patch', patch: { excludeFromLatest: false, regions: {} } });
    if (p.kind === 'patch') expect(p.patch.regions?.westeurope).toBeUndefined();
  });

  it('does nothing for a version published included (a later exclusion is a person’s)', () => {
    const record = published(state(false, false, false));
    expect(plan('promote', state(true, true, true), record)).toMatchObject({ kind: 'skip' });
  });

  it('refuses a version held by tag or quarantined', () => {
    const record = published(state(true, false, false));
    const held = state(true, false, false, { tags: { [HOLD_TAG]: 'ops ticket 42' } });
    expect(plan('promote', held, record).kind).toBe('refuse');
    const quarantined = { ...record, quarantinedRunId: 'run-1' };
    expect(plan('promote', state(true, true, true), quarantined).kind).toBe('refuse');
  });

  it('is not gate-held when first seen outside gate mode', () => {
    const record = published(state(true, true, true), 'quarantine');
    expect(record.gateHeld).toBe(false);
    expect(plan('promote', state(true, true, true), record).kind).toBe('skip');
  });
});

describe('release', () => {
  it('undoes only what gallery-guard excluded and restores the original end of life', () => {
    const record: RemediationRecord = {
      ...published(state(false, false, true), 'quarantine'), // westeurope excluded by a person before
      ownedVersionExclusion: true,
      ownedRegionExclusions: ['eastus'],
      ownedEndOfLife: true,
      quarantinedRunId: 'run-1',
    };
    const current = state(true, true, true, { endOfLifeDate: NOW.toISOString() });
    expect(plan('release', current, record)).toEqual({
      kind: 'patch',
      patch: { excludeFromLatest: false, regions: { eastus: false }, endOfLifeDate: null },
      reason: 'released by a person',
    });
  });

  it('has nothing to do for a version gallery-guard never excluded', () => {
    expect(
      plan('release', state(true, true, true), published(state(true, true, true), 'quarantine')).kind,
    ).toBe('skip');
  });
});

describe('patchSatisfied', () => {
  it('compares flags per region and end-of-life dates', () => {
    const s = state(true, true, false, { endOfLifeDate: '2026-11-27T10:00:00.000Z' });
    expect(patchSatisfied(s, { excludeFromLatest: true, regions: { eastus: true } })).toBe(true);
    expect(patchSatisfied(s, { regions: { westeurope: true } })).toBe(false);
    expect(patchSatisfied(s, { endOfLifeDate: '2026-11-27T10:00:00Z' })).toBe(true);
    expect(patchSatisfied(s, { endOfLifeDate: null })).toBe(false);
  });
});
