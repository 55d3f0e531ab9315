import { PolicyError } from '../../azure/action-errors';
import type { RemediationAction } from '../remediation-action';

export interface EndOfLifeParams {
  readonly graceDays: number;
}

const DAY_MS = 86_400_000;

/**
 * Marks the version end-of-life now (+ grace). Informational in Azure (VMs can still be created), so it
 * always accompanies exclude-from-latest. An earlier date already on the version is kept.
 */
export const endOfLife: RemediationAction<EndOfLifeParams> = {
  name: 'end-of-life',
  description: 'Set publishingProfile.endOfLifeDate to now + graceDays unless an earlier date is set.',
  schema: { graceDays: 'whole number of days, 0 to 3650' },
  validate: (params) => {
    const graceDays = (params as { graceDays?: unknown } | undefined)?.graceDays;
    if (typeof graceDays !== 'number' || !Number.isInteger(graceDays) || graceDays < 0 || graceDays > 3650) {
      throw new PolicyError('end-of-life: graceDays must be a whole number from 0 to 3650');
    }
    return { graceDays };
  },
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
};
