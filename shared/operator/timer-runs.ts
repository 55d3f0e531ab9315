import { odata } from '@azure/data-tables';
import { ensureTable } from '../azure/ensure-table';
import { escapeTableKey } from '../azure/table-key';
import { TableStore } from '../azure/table-store';
import { redact } from '../logging/redact';
import { excerpt } from '../verdict/excerpt';
import type { OperatorDeps } from './operator-deps';

/** Last run of every timer function, one row each (the host keeps its own in blobs; this one we read). */
export const TIMER_RUN_TABLE = 'ggtimerruns';
const PARTITION = 'timer';
const COLUMNS = [
  'lastStartedAt',
  'lastFinishedAt',
  'lastOutcome',
  'lastDurationMs',
  'lastError',
  'lastSucceededAt',
];

export interface TimerRun {
  readonly name: string;
  readonly lastStartedAt?: string;
  readonly lastFinishedAt?: string;
  readonly lastOutcome?: 'running' | 'succeeded' | 'failed';
  readonly lastDurationMs?: number;
  readonly lastError?: string;
  readonly lastSucceededAt?: string;
}

type TimerDeps = Pick<OperatorDeps, 'storage' | 'clock' | 'logger'>;

/**
 * Runs a timer's work and records its start and end. Timer invocations never overlap (the host runs
 * one at a time), so a merge of the latest facts is the right write. Recording is best effort: a
 * storage hiccup here must not fail the timer's own work.
 */
export async function recordTimerRun<T>(deps: TimerDeps, name: string, work: () => Promise<T>): Promise<T> {
  const table = deps.storage.table(TIMER_RUN_TABLE);
  const key = { partitionKey: PARTITION, rowKey: escapeTableKey(name) };
  const write = async (fields: Record<string, string | number>): Promise<void> => {
    try {
      await ensureTable(table);
      // Read-merge-write keeps what this write does not set (lastSucceededAt across a failure).
      await new TableStore<Record<string, unknown>>(table).mutate(key.partitionKey, key.rowKey, (stored) => ({
        ...Object.fromEntries(COLUMNS.flatMap((c) => (stored?.[c] === undefined ? [] : [[c, stored[c]]]))),
        ...key,
        name,
        ...fields,
      }));
    } catch (error) {
      deps.logger.warn('could not record the timer run', { timer: name, error });
    }
  };
  const started = deps.clock();
  await write({ lastStartedAt: started.toISOString(), lastOutcome: 'running' });
  try {
    const result = await work();
    const finished = deps.clock();
    await write({
      lastFinishedAt: finished.toISOString(),
      lastOutcome: 'succeeded',
      lastSucceededAt: finished.toISOString(),
      lastDurationMs: finished.getTime() - started.getTime(),
      lastError: '',
    });
    return result;
  } catch (error) {
    const finished = deps.clock();
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await write({
      lastFinishedAt: finished.toISOString(),
      lastOutcome: 'failed',
      lastDurationMs: finished.getTime() - started.getTime(),
      lastError: excerpt(String(redact(text)), 500),
    });
    throw error;
  }
}

export async function listTimerRuns(deps: Pick<OperatorDeps, 'storage'>): Promise<TimerRun[]> {
  const table = deps.storage.table(TIMER_RUN_TABLE);
  await ensureTable(table);
  const runs: TimerRun[] = [];
  const filter = odata`PartitionKey eq ${PARTITION}`;
  for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    const text = (name: string): string | undefined =>
      typeof row[name] === 'string' && row[name] !== '' ? row[name] : undefined;
    const outcome = text('lastOutcome');
    runs.push({
      name: text('name') ?? row.rowKey ?? '',
      lastStartedAt: text('lastStartedAt'),
      lastFinishedAt: text('lastFinishedAt'),
      lastOutcome:
        outcome === 'running' || outcome === 'succeeded' || outcome === 'failed' ? outcome : undefined,
      lastDurationMs: typeof row.lastDurationMs === 'number' ? row.lastDurationMs : undefined,
      lastError: text('lastError'),
      lastSucceededAt: text('lastSucceededAt'),
    });
  }
  return runs;
}
