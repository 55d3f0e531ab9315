import { paramsValidator, type ParamsOf } from '../../../shared/remediation/actions/params';
import type { RemediationAction } from '../../../shared/remediation/remediation-action';
import { regionKey } from '../../../shared/remediation/version-state';

// A throwaway action, as a new file would declare it: schema, plan, what it owns, how it reads.
const schema = {
  region: { type: 'integer', minimum: 0, maximum: 63, description: 'index of the target region' },
} as const;
export const excludeOneRegion: RemediationAction<ParamsOf<typeof schema>> = {
  name: 'exclude-one-region',
  description: 'Test only: exclude one target region from latest.',
  schema,
  validate: paramsValidator('exclude-one-region', schema),
  plan: (current, { region }) => {
    const target = current.regions[region];
    if (target === undefined) return { kind: 'refuse', reason: `no region ${region}` };
    if (target.excludeFromLatest) return { kind: 'skip', reason: `${target.name} already excluded` };
    return { kind: 'patch', patch: { regions: { [regionKey(target.name)]: true } }, reason: 'test' };
  },
  claim: (record, { patch }) => ({
    ...record,
    ownedRegionExclusions: Object.keys(patch.regions ?? {}),
  }),
  settle: (record, _step, { runId }) => ({ ...record, quarantinedRunId: runId }),
  describe: (step) => (step.outcome === 'applied' ? 'Excluded one region' : `Kept (${step.reason})`),
  quarantines: true,
};
