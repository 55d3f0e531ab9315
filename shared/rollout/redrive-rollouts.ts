import type { Logger } from '../logging/logger';
import { toError } from '../logging/logger';
import type { VerdictActionsDeps } from '../remediation/verdict-actions-deps';
import { ensureVerdictActionTables } from '../remediation/verdict-actions-deps';
import { advanceRollout } from './advance-rollout';
import { dueRollouts } from './rollout-ledger';

export interface RedriveOutcome {
  readonly due: number;
  readonly advanced: number;
  readonly failed: number;
}

/**
 * The timer's half of level-triggered rollouts: every rollout in progress whose next check is due
 * (soak over, replication to look at again, a crash mid-way) is advanced from its stored state. One
 * failing rollout is logged and left for the next tick; it never stops the others.
 */
export async function redriveRollouts(deps: VerdictActionsDeps, logger: Logger): Promise<RedriveOutcome> {
  await ensureVerdictActionTables(deps);
  const due = await dueRollouts(deps.remediationTable, deps.clock());
  let advanced = 0;
  let failed = 0;
  for (const rollout of due) {
    try {
      await advanceRollout(deps, rollout.versionId, rollout.runId, logger);
      advanced++;
    } catch (error) {
      failed++;
      logger.warn('rollout redrive: could not advance; the next tick tries again', {
        versionId: rollout.versionId,
        runId: rollout.runId,
        error: toError(error),
      });
    }
  }
  if (due.length > 0) logger.info('rollout redrive done', { due: due.length, advanced, failed });
  return { due: due.length, advanced, failed };
}
