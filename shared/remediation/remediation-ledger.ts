import { RestError, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { RemediationRecord } from './remediation-record';
import { escapeTableKey as tableKey } from '../azure/table-key';

/**
 * Table rows of verdict actions (table "remediations"), partitioned by version:
 *   state                         the RemediationRecord (first contact, owned exclusions, page open)
 *   action|<runId>|<action>       one remediation action of one run: status, before/after, attempts
 *   release|<time>|<requestId>    who released or asked to re-validate a version, and why
 * No secrets are ever written here.
 */
export const REMEDIATION_TABLE = 'remediations';

const STATE = 'state';

interface StateEntity {
  partitionKey: string;
  rowKey: string;
  record: string;
}

export function partitionOf(versionKey: string): string {
  return tableKey(versionKey);
}

export function isConflict(error: unknown): boolean {
  return error instanceof RestError && (error.statusCode === 409 || error.statusCode === 412);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof RestError && error.statusCode === 404;
}

export async function getEntity<T extends object>(
  table: TableClient,
  partitionKey: string,
  rowKey: string,
): Promise<TableEntityResult<T> | undefined> {
  try {
    return await table.getEntity<T>(partitionKey, rowKey);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

export interface StoredRecord {
  readonly record: RemediationRecord;
  readonly etag: string;
}

export async function readRecord(table: TableClient, versionKey: string): Promise<StoredRecord | undefined> {
  const entity = await getEntity<StateEntity>(table, partitionOf(versionKey), STATE);
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
    const response = await table.createEntity<StateEntity>({
      partitionKey: partitionOf(versionKey),
      rowKey: STATE,
      record: JSON.stringify(record),
    });
    return { record, etag: response.etag ?? '*' };
  } catch (error) {
    if (!isConflict(error)) throw error;
    const stored = await readRecord(table, versionKey);
    if (stored === undefined) throw error;
    return stored;
  }
}

/** Read-modify-write guarded by ETag; re-reads and re-applies `change` when another writer won. */
export async function updateRecord(
  table: TableClient,
  versionKey: string,
  change: (record: RemediationRecord) => RemediationRecord,
): Promise<RemediationRecord> {
  for (let tries = 0; ; tries++) {
    const stored = await readRecord(table, versionKey);
    if (stored === undefined) throw new Error(`No remediation record for ${versionKey}`);
    const next = change(stored.record);
    try {
      await table.updateEntity<StateEntity>(
        { partitionKey: partitionOf(versionKey), rowKey: STATE, record: JSON.stringify(next) },
        'Replace',
        { etag: stored.etag },
      );
      return next;
    } catch (error) {
      if (!isConflict(error) || tries >= 5) throw error;
    }
  }
}

export const ActionStatus = {
  Applied: 'Applied',
  Skipped: 'Skipped',
  Refused: 'Refused',
  Retrying: 'Retrying',
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
  return getEntity<ActionRow>(table, partitionOf(versionKey), actionRowKey(runId, action));
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

/** Records one action of one run with ETag/insert-if-absent guards; returns the row that stands. */
export async function writeActionRow(
  table: TableClient,
  versionKey: string,
  row: ActionRow,
): Promise<ActionRow> {
  const entity = {
    partitionKey: partitionOf(versionKey),
    rowKey: actionRowKey(row.runId, row.action),
    ...row,
  };
  for (;;) {
    const stored = await getEntity<ActionRow>(table, entity.partitionKey, entity.rowKey);
    if (stored !== undefined && !mayReplace(stored, row)) return stored;
    try {
      if (stored === undefined) await table.createEntity(entity);
      else await table.updateEntity(entity, 'Replace', { etag: stored.etag });
      return row;
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
}

export interface ReleaseRow {
  readonly kind: 'release' | 'revalidate';
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
  await table.upsertEntity(
    {
      partitionKey: partitionOf(versionKey),
      rowKey: tableKey(`${row.kind}|${row.at}|${row.requestId}`),
      ...row,
    },
    'Replace',
  );
}

export async function listReleaseRows(table: TableClient, versionKey: string): Promise<ReleaseRow[]> {
  const rows: ReleaseRow[] = [];
  const pk = partitionOf(versionKey).replace(/'/g, "''");
  for await (const entity of table.listEntities<ReleaseRow>({
    queryOptions: { filter: `PartitionKey eq '${pk}' and (kind eq 'release' or kind eq 'revalidate')` },
  })) {
    rows.push(entity);
  }
  return rows;
}
