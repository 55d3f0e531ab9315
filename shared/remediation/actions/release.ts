import type { RemediationAction } from '../remediation-action';
import { regionKey } from '../version-state';
import { paramsValidator } from './params';

const schema = {} as const;

/**
 * A person releases a quarantined (or gate-held) version: undo what gallery-guard excluded itself and
 * what the gate held, restore the end-of-life date found on first contact. Exclusions that were there
 * before gallery-guard acted stay.
 */
export const release: RemediationAction<Record<string, never>> = {
  name: 'release',
  description:
    'Undo exclusions gallery-guard made (quarantine) or held (gate), restore the original end of life.',
  schema,
  validate: paramsValidator('release', schema),
  plan: (current, _params, { record }) => {
    const owned = new Set(record.ownedRegionExclusions.map(regionKey));
    if (record.gateHeld) {
      for (const r of record.firstState.regions) if (r.excludeFromLatest) owned.add(regionKey(r.name));
    }
    const regions = Object.fromEntries(
      current.regions
        .filter((r) => r.excludeFromLatest && owned.has(regionKey(r.name)))
        .map((r) => [regionKey(r.name), false]),
    );
    const ownsVersionFlag =
      record.ownedVersionExclusion || (record.gateHeld && record.firstState.excludeFromLatest);
    const lift = ownsVersionFlag && current.excludeFromLatest;
    const original = record.firstState.endOfLifeDate ?? null;
    const restoreEol =
      record.ownedEndOfLife && (current.endOfLifeDate ?? null) !== original
        ? { endOfLifeDate: original }
        : {};
    if (!lift && Object.keys(regions).length === 0 && !('endOfLifeDate' in restoreEol)) {
      return { kind: 'skip', reason: 'nothing excluded by gallery-guard' };
    }
    return {
      kind: 'patch',
      patch: { ...(lift ? { excludeFromLatest: false } : {}), regions, ...restoreEol },
      reason: 'released by a person',
    };
  }, // Applied or not, a person has taken the version over: gallery-guard owns nothing on it any more.
  settle: (record, _step, { now, actor }) => ({
    ...record,
    releasedAt: now.toISOString(),
    releasedBy: actor,
    ownedVersionExclusion: false,
    ownedRegionExclusions: [],
    ownedEndOfLife: false,
    gateHeld: false,
  }),
  describe: (step) =>
    step.outcome === 'applied'
      ? "Released: gallery-guard's exclusions lifted, original end of life restored"
      : `Nothing to release (${step.reason})`,
};
