import { odata } from '../azure/odata';
import { ensureTable } from '../azure/ensure-table';
import { escapeTableKey } from '../azure/table-key';
import { TableStore } from '../azure/table-store';
import { redact } from '../logging/redact';
import { excerpt } from '../verdict/excerpt';
import type { OperatorDeps } from './operator-deps';

/** Last run of every timer function, one row each (the host keeps its own in blobs; this one we read). */
export const TIMER_RUN_TABLE = 'ggtimerruns';
const PARTITION = 'timer';

export interface TimerRun {
  readonly name: string;
  readonly lastStartedAt?: string;
  readonly lastFinishedAt?: string;
  readonly lastOutcome?: 'succeeded' | 'failed';
  readonly lastDurationMs?: number;
  readonly lastError?: string;
}

type TimerDeps = Pick<OperatorDeps, 'storage' | 'clock' | 'logger'>;

/**
 * Runs a timer's work, then records how it went: one write per run, after the work, so a timer that
 * fires every few seconds pays one Table request. Invocations of a timer never overlap (the host runs
 * one at a time across instances) and each write carries every column, so replacing the row is the
 * right write. Recording is best effort: a storage hiccup here must not fail the timer's own work.
 */
export async function recordTimerRun<T>(deps: TimerDeps, name: string, work: () => Promise<T>): Promise<T> {
  const started = deps.clock();
  const record = async (outcome: 'succeeded' | 'failed', error?: unknown): Promise<void> => {
    const finished = deps.clock();
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const table = deps.storage.table(TIMER_RUN_TABLE);
    try {
      await ensureTable(table);
      await new TableStore<Record<string, unknown>>(table).upsert({
        partitionKey: PARTITION,
        rowKey: escapeTableKey(name),
        name,
        lastStartedAt: started.toISOString(),
        lastFinishedAt: finished.toISOString(),
        lastOutcome: outcome,
        lastDurationMs: finished.getTime() - started.getTime(),
        lastError: outcome === 'failed' ? excerpt(String(redact(text)), 500) : '',
      });
    } catch (failure) {
      deps.logger.warn('could not record the timer run', { timer: name, error: failure });
    }
  };
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await record('failed', error);
    throw error;
  }
  await record('succeeded');
  return result;
}

export async function listTimerRuns(deps: Pick<OperatorDeps, 'storage'>): Promise<TimerRun[]> {
  const table = deps.storage.table(TIMER_RUN_TABLE);
  await ensureTable(table);
  const runs: TimerRun[] = [];
  const filter = odata`PartitionKey eq ${PARTITION}`;
  for await (const row of new TableStore<Record<string, unknown>>(table).list(filter)) {
    const text = (name: string): string | undefined =>
      typeof row[name] === 'string' && row[name] !== '' ? row[name] : undefined;
    const outcome = text('lastOutcome');
    runs.push({
      name: text('name') ?? row.rowKey ?? '',
      lastStartedAt: text('lastStartedAt'),
      lastFinishedAt: text('lastFinishedAt'),
      lastOutcome: outcome === 'succeeded' || outcome === 'failed' ? outcome : undefined,
      lastDurationMs: typeof row.lastDurationMs === 'number' ? row.lastDurationMs : undefined,
      lastError: text('lastError'),
    });
  }
  return runs;
}
