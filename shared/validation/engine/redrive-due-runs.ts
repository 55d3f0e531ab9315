import { RunState } from '../../ledger/run-state';
import type { ValidationRun } from '../../ledger/validation-run';
import { ggMetrics } from '../../telemetry/metrics';
import type { EngineDeps } from './reconcile-run';
import { Phase } from '../run/validation-phase';
import { readProgress } from '../run/validation-state';

type RedriveDeps = Pick<EngineDeps, 'clock' | 'ledger' | 'runQueue' | 'logger' | 'pageStuckRun'>;

/** A run overdue this long despite re-drives is stuck: on-call is paged once for it. */
export const STUCK_RUN_AFTER_MS = 30 * 60_000;

const isStuck = (deps: RedriveDeps, run: ValidationRun, stuckAfterMs: number): boolean =>
  deps.clock().getTime() - Date.parse(run.nextActionAt) >= stuckAfterMs;

async function pageIfStuck(deps: RedriveDeps, run: ValidationRun, stuckAfterMs: number): Promise<void> {
  if (deps.pageStuckRun === undefined) return;
  if (!isStuck(deps, run, stuckAfterMs)) return;
  const stuck = {
    versionId: run.versionId,
    runId: run.runId,
    phase: readProgress(run.extra).phase,
    since: run.nextActionAt,
    detail: run.stateReason,
  };
  // Paging is best effort here: the next reconciler tick tries again (once-only per run is kept there).
  await deps
    .pageStuckRun(stuck)
    .catch((error: unknown) =>
      deps.logger.warn('could not page for a stuck run', { runId: run.runId, error }),
    );
}

/**
 * Reconciler timer: re-sends the key of every unfinished run whose next action is overdue by more than
 * `graceMs` (a lost or never-sent message, a crashed invocation whose claim expired). Duplicates are
 * harmless: the run row's claim and ETag let only one invocation act.
 */
export async function redriveDueRuns(
  deps: RedriveDeps,
  graceMs: number,
  limit = 500,
  stuckAfterMs = STUCK_RUN_AFTER_MS,
): Promise<number> {
  const dueBy = new Date(deps.clock().getTime() - graceMs);
  const runs = await deps.ledger.listRunsInState([RunState.Queued, RunState.Running, RunState.Cancelled], {
    dueBy,
    limit,
  });
  let sent = 0;
  let stuck = 0;
  for (const run of runs) {
    if (readProgress(run.extra).phase === Phase.Complete) continue;
    await deps.runQueue.enqueue(run.key);
    sent++;
    if (isStuck(deps, run, stuckAfterMs)) stuck++;
    await pageIfStuck(deps, run, stuckAfterMs);
  }
  ggMetrics.stuckRuns(stuck);
  if (sent > 0) deps.logger.info('Reconciler re-drove overdue runs', { count: sent });
  return sent;
}
