import type { RemediationAction } from '../remediation-action';
import { isFullyExcluded, regionKey } from '../version-state';
import { noParams } from './params';

/** Keeps the version out of "latest": the version flag and every target region's flag (both decide). */
export const excludeFromLatest: RemediationAction<Record<string, never>> = {
  name: 'exclude-from-latest',
  description: 'Set publishingProfile.excludeFromLatest and every targetRegions[].excludeFromLatest to true.',
  schema: {},
  validate: noParams('exclude-from-latest'),
  plan: (current) => {
    if (isFullyExcluded(current)) return { kind: 'skip', reason: 'already excluded from latest everywhere' };
    const regions = Object.fromEntries(current.regions.map((r) => [regionKey(r.name), true]));
    return { kind: 'patch', patch: { excludeFromLatest: true, regions }, reason: 'failed validation' };
  },
};
