import { RunState } from '../ledger/run-state';
import type { EngineDeps } from './reconcile-run';
import { Phase } from './validation-phase';
import { readProgress } from './validation-state';

/**
 * Reconciler timer: re-sends the key of every unfinished run whose next action is overdue by more than
 * `graceMs` (a lost or never-sent message, a crashed invocation whose claim expired). Duplicates are
 * harmless: the run row's claim and ETag let only one invocation act.
 */
export async function redriveDueRuns(deps: EngineDeps, graceMs: number, limit = 500): Promise<number> {
  const dueBy = new Date(deps.clock().getTime() - graceMs);
  const runs = await deps.ledger.listRunsInState([RunState.Queued, RunState.Running, RunState.Cancelled], {
    dueBy,
    limit,
  });
  let sent = 0;
  for (const run of runs) {
    if (readProgress(run.extra).phase === Phase.Complete) continue;
    await deps.runQueue.enqueue(run.key);
    sent++;
  }
  if (sent > 0) deps.logger.info('Reconciler re-drove overdue runs', { count: sent });
  return sent;
}
