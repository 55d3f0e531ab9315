import type { TableClient } from '@azure/data-tables';
import { odata } from '../azure/odata';
import type { RemediationRecord } from './remediation-record';
import { escapeTableKey as tableKey } from '../azure/table-key';
import { DEFAULT_MUTATE_TRIES, RowExistsError, TableStore } from '../azure/table-store';

/**
 * Table rows of verdict actions (table "remediations"), partitioned by version:
 *   state                         the RemediationRecord (first contact, owned exclusions, page open)
 *   action|<runId>|<action>       one remediation action of one run: status, before/after, attempts
 *   release|<time>|<requestId>    who released or asked to re-validate a version, and why
 * No secrets are ever written here. Every write goes through TableStore, so conflicts come back as its
 * errors (carrying the row that stands) and no retry is unbounded.
 */
export const REMEDIATION_TABLE = 'remediations';

const STATE = 'state';
/** Read-change-write rounds of the state row before updateRecord reports RowContendedError. */
const RECORD_TRIES = 6;

interface StateColumns {
  record: string;
}

export interface StoredRecord {
  readonly record: RemediationRecord;
  readonly etag: string;
}

export async function readRecord(table: TableClient, versionKey: string): Promise<StoredRecord | undefined> {
  const entity = await new TableStore<StateColumns>(table).get(tableKey(versionKey), STATE);
  if (entity === undefined) return undefined;
  return { record: JSON.parse(entity.record) as RemediationRecord, etag: entity.etag };
}

/** Insert-if-absent: the first writer's record stands; everyone gets the stored one back. */
export async function insertRecordIfAbsent(
  table: TableClient,
  versionKey: string,
  record: RemediationRecord,
): Promise<StoredRecord> {
  try {
    const etag = await new TableStore<StateColumns>(table).insertIfAbsent({
      partitionKey: tableKey(versionKey),
      rowKey: STATE,
      record: JSON.stringify(record),
    });
    return { record, etag };
  } catch (error) {
    if (!(error instanceof RowExistsError)) throw error;
    const stored = (error as RowExistsError<StateColumns>).existing;
    if (stored === undefined) throw error;
    return { record: JSON.parse(stored.record) as RemediationRecord, etag: stored.etag };
  }
}

/**
 * Read-modify-write guarded by ETag (TableStore.mutate): re-applies `change` to the record that won a
 * race, at most RECORD_TRIES rounds, then RowContendedError.
 */
export async function updateRecord(
  table: TableClient,
  versionKey: string,
  change: (record: RemediationRecord) => RemediationRecord,
): Promise<RemediationRecord> {
  const partitionKey = tableKey(versionKey);
  let next: RemediationRecord | undefined;
  await new TableStore<StateColumns>(table).mutate(
    partitionKey,
    STATE,
    (stored) => {
      if (stored === undefined) throw new Error(`No remediation record for ${versionKey}`);
      next = change(JSON.parse(stored.record) as RemediationRecord);
      return { partitionKey, rowKey: STATE, record: JSON.stringify(next) };
    },
    RECORD_TRIES,
  );
  if (next === undefined) throw new Error(`No remediation record for ${versionKey}`);
  return next;
}

export const ActionStatus = {
  Applied: 'Applied',
  Skipped: 'Skipped',
  Refused: 'Refused',
  Retrying: 'Retrying',
  /** The version could not take the write yet (replicating, or roles propagating): not an attempt. */
  Waiting: 'Waiting',
  /** A PATCH is being sent; written just before it, so a crash leaves the intent behind. */
  Patching: 'Patching',
  Failed: 'Failed',
} as const;
export type ActionStatus = (typeof ActionStatus)[keyof typeof ActionStatus];

export interface ActionRow {
  readonly action: string;
  readonly runId: string;
  readonly status: ActionStatus;
  readonly reason: string;
  readonly attempts: number;
  /** JSON VersionState read before acting / read back after acting. */
  readonly before?: string;
  readonly after?: string;
  readonly at: string;
  /** Waiting since (ISO): bounds how long a step may wait without spending attempts. */
  readonly waitingSince?: string;
  /**
   * JSON VersionState read before a PATCH this step sent and has not recorded the outcome of. A
   * resumed step that then finds the change in place knows it is its own: Applied, from this state.
   */
  readonly sentPatchBefore?: string;
}

function actionRowKey(runId: string, action: string): string {
  return tableKey(`action|${runId}|${action}`);
}

export async function readActionRow(
  table: TableClient,
  versionKey: string,
  runId: string,
  action: string,
): Promise<ActionRow | undefined> {
  return new TableStore<ActionRow>(table).get(tableKey(versionKey), actionRowKey(runId, action));
}

export const FINISHED_ACTION_STATUSES: readonly ActionStatus[] = [
  ActionStatus.Applied,
  ActionStatus.Skipped,
  ActionStatus.Refused,
  ActionStatus.Failed,
];

/**
 * Whether `incoming` may replace `stored`. Concurrent duplicates of one step race to record it: the
 * one that PATCHed saw the real "before", while a duplicate that read the version after that PATCH
 * found nothing to do. So a finished row is replaced only by an Applied one, and never after Applied.
 */
function mayReplace(stored: ActionRow, incoming: ActionRow): boolean {
  if (!FINISHED_ACTION_STATUSES.includes(stored.status)) return true;
  return stored.status !== ActionStatus.Applied && incoming.status === ActionStatus.Applied;
}

/**
 * Records one action of one run with ETag/insert-if-absent guards (TableStore.mutate, bounded: a row
 * still changing after DEFAULT_MUTATE_TRIES rounds is RowContendedError); returns the row that stands.
 */
export async function writeActionRow(
  table: TableClient,
  versionKey: string,
  row: ActionRow,
): Promise<ActionRow> {
  const entity = {
    partitionKey: tableKey(versionKey),
    rowKey: actionRowKey(row.runId, row.action),
    ...row,
  };
  const result = await new TableStore<ActionRow>(table).mutate(
    entity.partitionKey,
    entity.rowKey,
    (stored) => (stored !== undefined && !mayReplace(stored, row) ? undefined : entity),
    DEFAULT_MUTATE_TRIES,
  );
  // Not written: the stored row may not be replaced by this one, so it stands.
  return result.written ? row : (result.row ?? row);
}

export interface ReleaseRow {
  /** release / revalidate a version; redrive: a run's poisoned message put back on the run queue. */
  readonly kind: 'release' | 'revalidate' | 'redrive' | 'rollback';
  readonly versionId: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly requestId: string;
  readonly outcome: string;
  readonly at: string;
}

export async function writeReleaseRow(
  table: TableClient,
  versionKey: string,
  row: ReleaseRow,
): Promise<void> {
  await new TableStore<ReleaseRow>(table).upsert({
    partitionKey: tableKey(versionKey),
    rowKey: tableKey(`${row.kind}|${row.at}|${row.requestId}`),
    ...row,
  });
}

export async function listReleaseRows(table: TableClient, versionKey: string): Promise<ReleaseRow[]> {
  const rows: ReleaseRow[] = [];
  const filter = odata`PartitionKey eq ${tableKey(versionKey)} and (kind eq 'release' or kind eq 'revalidate' or kind eq 'redrive' or kind eq 'rollback')`;
  for await (const entity of new TableStore<ReleaseRow>(table).list(filter)) rows.push(entity);
  return rows;
}
