import type { RemediationAction } from '../remediation-action';
import { paramsValidator, type ParamsOf } from './params';

const schema = {
  graceDays: {
    type: 'integer',
    minimum: 0,
    maximum: 3650,
    description: 'days from the verdict until the end-of-life date (0 = now)',
  },
} as const;

export type EndOfLifeParams = ParamsOf<typeof schema>;

const DAY_MS = 86_400_000;

/**
 * Marks the version end-of-life now (+ grace). Informational in Azure (VMs can still be created), so it
 * always accompanies exclude-from-latest. An earlier date already on the version is kept.
 */
export const endOfLife: RemediationAction<EndOfLifeParams> = {
  name: 'end-of-life',
  description: 'Set publishingProfile.endOfLifeDate to now + graceDays unless an earlier date is set.',
  schema,
  validate: paramsValidator('end-of-life', schema),
  plan: (current, { graceDays }, { now }) => {
    const target = new Date(now.getTime() + graceDays * DAY_MS);
    if (current.endOfLifeDate !== undefined && Date.parse(current.endOfLifeDate) <= target.getTime()) {
      return { kind: 'skip', reason: `end of life already ${current.endOfLifeDate}` };
    }
    return {
      kind: 'patch',
      patch: { endOfLifeDate: target.toISOString() },
      reason: graceDays === 0 ? 'end of life now' : `end of life in ${graceDays} days`,
    };
  },
  // The date found on first contact is what `release` restores.
  claim: (record) => ({ ...record, ownedEndOfLife: true }),
  describe: (step) =>
    step.outcome === 'applied'
      ? `end of life set to ${step.after?.endOfLifeDate ?? '?'}`
      : `end of life kept (${step.reason})`,
};
