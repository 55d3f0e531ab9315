import { HOLD_TAG } from '../remediation/actions/promote';
import { paramsValidator } from '../remediation/actions/params';
import type { RemediationAction } from '../remediation/remediation-action';
import { regionKey, type VersionState } from '../remediation/version-state';

const schema = {} as const;

export function isHeldByPerson(state: Pick<VersionState, 'tags'>): boolean {
  return Object.keys(state.tags).some((t) => t.toLowerCase() === HOLD_TAG);
}

/**
 * Sets targetRegions[].excludeFromLatest to `value` for `regions`: the regional flag wins over the
 * version-wide one (see shared/gallery/latest-version.ts), so one region can be promoted (false) while
 * the others stay excluded (true). A version a person holds is never touched. Not in the registry: a
 * rollout or a roll back builds one per region set; each runs once per run (its own action row).
 */
export function setRegionalExclusion(
  name: string,
  regions: readonly string[],
  value: boolean,
): RemediationAction<unknown> {
  const wanted = new Set(regions.map(regionKey));
  return {
    name,
    description: `Set targetRegions[].excludeFromLatest to ${value} in ${[...wanted].join(', ')}.`,
    schema,
    validate: paramsValidator(name, schema),
    plan: (current) => {
      if (isHeldByPerson(current)) return { kind: 'refuse', reason: `version carries the ${HOLD_TAG} tag` };
      const change = Object.fromEntries(
        current.regions
          .filter((r) => wanted.has(regionKey(r.name)) && r.excludeFromLatest !== value)
          .map((r) => [regionKey(r.name), value]),
      );
      if (Object.keys(change).length === 0) return { kind: 'skip', reason: 'regional flags already set' };
      return {
        kind: 'patch',
        patch: { regions: change },
        reason: value
          ? `excluding from latest in ${Object.keys(change).join(', ')}`
          : `promoting ${Object.keys(change).join(', ')}`,
      };
    },
    describe: (step) => `${name}: ${step.outcome} (${step.reason})`,
  };
}
