import type { RemediationAction } from '../remediation-action';
import { isFullyExcluded, regionKey } from '../version-state';
import { paramsValidator } from './params';

const schema = {} as const;

/** Keeps the version out of "latest": the version flag and every target region's flag (both decide). */
export const excludeFromLatest: RemediationAction<Record<string, never>> = {
  name: 'exclude-from-latest',
  description: 'Set publishingProfile.excludeFromLatest and every targetRegions[].excludeFromLatest to true.',
  schema,
  validate: paramsValidator('exclude-from-latest', schema),
  plan: (current) => {
    if (isFullyExcluded(current)) return { kind: 'skip', reason: 'already excluded from latest everywhere' };
    const regions = Object.fromEntries(current.regions.map((r) => [regionKey(r.name), true]));
    return { kind: 'patch', patch: { excludeFromLatest: true, regions }, reason: 'failed validation' };
  },
  // gallery-guard owns exactly the flags this PATCH turns on; only `release` may ever turn them off.
  claim: (record, { patch, before }, { runId }) => {
    const flipped = before.regions
      .filter((r) => !r.excludeFromLatest && patch.regions?.[regionKey(r.name)] === true)
      .map((r) => regionKey(r.name));
    return {
      ...record,
      ownedVersionExclusion:
        record.ownedVersionExclusion || (!before.excludeFromLatest && patch.excludeFromLatest === true),
      ownedRegionExclusions: [...new Set([...record.ownedRegionExclusions, ...flipped])],
      quarantinedRunId: runId,
      releasedAt: undefined,
      releasedBy: undefined,
    };
  },
  settle: (record, _step, { runId }) =>
    record.quarantinedRunId === runId
      ? record
      : { ...record, quarantinedRunId: runId, releasedAt: undefined, releasedBy: undefined },
  describe: (step) =>
    step.outcome === 'applied'
      ? 'Excluded from latest (version and every region)'
      : 'Already excluded from latest',
  quarantines: true,
};
