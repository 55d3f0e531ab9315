import { odata, type TableClient } from '@azure/data-tables';
import { escapeTableKey as tableKey } from '../azure/table-key';
import { TableStore } from '../azure/table-store';
import type { Rollout } from './rollout-plan';

/**
 * A regional rollout's row, next to the version's remediation record (table "remediations",
 * partition = the version): rowKey rollout|<runId>. `status` and `nextCheckAt` are columns so the
 * redrive timer finds due rollouts without reading every row; the state itself is JSON. Every write
 * is ETag-guarded (TableStore.mutate): two instances advancing one rollout never both win.
 */
interface RolloutColumns {
  kind: 'rollout';
  status: Rollout['status'];
  /** ISO time; '' when nothing is due. */
  nextCheckAt: string;
  versionId: string;
  runId: string;
  rollout: string;
}

const rowKeyOf = (runId: string): string => tableKey(`rollout|${runId}`);

function rowOf(
  versionKey: string,
  rollout: Rollout,
): RolloutColumns & { partitionKey: string; rowKey: string } {
  return {
    partitionKey: tableKey(versionKey),
    rowKey: rowKeyOf(rollout.runId),
    kind: 'rollout',
    status: rollout.status,
    nextCheckAt: rollout.nextCheckAt ?? '',
    versionId: rollout.versionId,
    runId: rollout.runId,
    rollout: JSON.stringify(rollout),
  };
}

export async function readRollout(
  table: TableClient,
  versionKey: string,
  runId: string,
): Promise<Rollout | undefined> {
  const row = await new TableStore<RolloutColumns>(table).get(tableKey(versionKey), rowKeyOf(runId));
  return row === undefined ? undefined : (JSON.parse(row.rollout) as Rollout);
}

/** Insert-if-absent: the first writer's rollout stands; a duplicate verdict gets the stored one. */
export async function startRollout(
  table: TableClient,
  versionKey: string,
  rollout: Rollout,
): Promise<Rollout> {
  const result = await new TableStore<RolloutColumns>(table).mutate(
    tableKey(versionKey),
    rowKeyOf(rollout.runId),
    (stored) => (stored === undefined ? rowOf(versionKey, rollout) : undefined),
  );
  const row = result.row as RolloutColumns | undefined;
  return row === undefined ? rollout : (JSON.parse(row.rollout) as Rollout);
}

/** Read-change-write by ETag; `change` sees the rollout that stands (it may have moved on). */
export async function updateRollout(
  table: TableClient,
  versionKey: string,
  runId: string,
  change: (rollout: Rollout) => Rollout,
): Promise<Rollout> {
  let next: Rollout | undefined;
  await new TableStore<RolloutColumns>(table).mutate(tableKey(versionKey), rowKeyOf(runId), (stored) => {
    if (stored === undefined) throw new Error(`No rollout for run ${runId}`);
    next = change(JSON.parse(stored.rollout) as Rollout);
    return rowOf(versionKey, next);
  });
  if (next === undefined) throw new Error(`No rollout for run ${runId}`);
  return next;
}

/** Rollouts in progress whose next check is due (or never set), for the redrive timer. */
export async function dueRollouts(table: TableClient, now: Date): Promise<Rollout[]> {
  const out: Rollout[] = [];
  const filter = odata`kind eq ${'rollout'} and status eq ${'in-progress'}`;
  for await (const row of new TableStore<RolloutColumns>(table).list(filter)) {
    if (row.nextCheckAt === '' || Date.parse(row.nextCheckAt) <= now.getTime()) {
      out.push(JSON.parse(row.rollout) as Rollout);
    }
  }
  return out;
}
