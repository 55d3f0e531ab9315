import type { Rollout, RegionRolloutState } from './rollout-plan';

const WORDS: Record<RegionRolloutState, string> = {
  pending: 'pending',
  promoted: 'promoted',
  failed: 'failed',
  quarantined: 'quarantined',
  'rolled-back': 'rolled back',
  held: 'held',
};

/** The card's "Action taken" for a rollout: how it ended and each region's state, in rollout order. */
export function rolloutSummary(rollout: Rollout): string {
  const regions = rollout.regions.map((r) => `${r.name} ${WORDS[r.state]}`).join(', ');
  const failed = rollout.regions.find((r) => r.state === 'failed');
  if (rollout.status === 'completed') return `Regional rollout completed: ${regions}.`;
  if (rollout.status === 'stopped') {
    const why =
      failed !== undefined
        ? `validation failed in ${failed.name}`
        : (rollout.regions.find((r) => r.reason)?.reason ?? 'stopped');
    return `Regional rollout stopped (${why}): ${regions}.`;
  }
  return `Regional rollout in progress: ${regions}.`;
}
