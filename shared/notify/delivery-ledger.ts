import type { TableClient } from '@azure/data-tables';
import { odata } from '../azure/odata';
import { TableStore, type StoredRow } from '../azure/table-store';
import { escapeTableKey as tableKey } from '../azure/table-key';

/**
 * One row per (version, run, kind, channel) in table "notifications": the claim that makes a card or
 * page go out once. Insert-if-absent claims the delivery; a lease lets another instance take over a
 * claim whose holder crashed. Only the destination's *name* is stored, never its URL or key. Writes go
 * through TableStore: a claim that keeps losing races ends in its RowContendedError, a save whose claim
 * was taken over in its RowChangedError.
 */
export const NOTIFICATION_TABLE = 'notifications';

export const DeliveryStatus = { Sending: 'Sending', Delivered: 'Delivered', Failed: 'Failed' } as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

export interface DeliveryKey {
  readonly versionKey: string;
  readonly runId: string;
  /** Verdict name for cards, "trigger"/"resolve"/"stuck" for pages. */
  readonly kind: string;
  /** Registered notification action: teams, pagerduty, webhook. */
  readonly channel: string;
}

export interface DeliveryRow {
  readonly versionId: string;
  readonly runId: string;
  readonly kind: string;
  readonly channel: string;
  readonly destination: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly leaseUntil: string;
  readonly httpStatus?: number;
  readonly lastError?: string;
  readonly deliveredAt?: string;
  readonly updatedAt: string;
}

export function deliveryRowKey(key: DeliveryKey): string {
  return tableKey(`${key.runId}|${key.kind}|${key.channel}`);
}

export type Claim =
  | { readonly kind: 'claimed'; readonly row: DeliveryRow; readonly etag: string }
  | { readonly kind: 'done'; readonly row: DeliveryRow }
  | { readonly kind: 'busy'; readonly row: DeliveryRow };

/** Rounds of read-decide-write a claim makes before giving up with RowContendedError. */
const CLAIM_TRIES = 5;

/** Claims the delivery for this caller, or says it is done (delivered/failed) or held by another. */
export async function claimDelivery(
  table: TableClient,
  key: DeliveryKey,
  fresh: Omit<DeliveryRow, 'status' | 'attempts' | 'leaseUntil' | 'updatedAt'>,
  now: Date,
  leaseMs: number,
): Promise<Claim> {
  const partitionKey = tableKey(key.versionKey);
  const rowKey = deliveryRowKey(key);
  const leaseUntil = new Date(now.getTime() + leaseMs).toISOString();
  // What the last decision was; mutate's result says whether it was written.
  let decided: Claim | undefined;
  const result = await new TableStore<DeliveryRow>(table).mutate(
    partitionKey,
    rowKey,
    (existing) => {
      if (existing === undefined) {
        const row: DeliveryRow = {
          ...fresh,
          status: 'Sending',
          attempts: 0,
          leaseUntil,
          updatedAt: now.toISOString(),
        };
        decided = { kind: 'claimed', row, etag: '' };
        return { partitionKey, rowKey, ...row };
      }
      const row = stripEntity(existing);
      if (row.status !== 'Sending') decided = { kind: 'done', row };
      else if (Date.parse(row.leaseUntil) > now.getTime()) decided = { kind: 'busy', row };
      else {
        const taken: DeliveryRow = { ...row, leaseUntil, updatedAt: now.toISOString() };
        decided = { kind: 'claimed', row: taken, etag: '' };
        return { partitionKey, rowKey, ...taken };
      }
      return undefined;
    },
    CLAIM_TRIES,
  );
  if (decided === undefined) throw new Error('claimDelivery decided nothing');
  return decided.kind === 'claimed' ? { ...decided, etag: result.etag ?? '*' } : decided;
}

/** Records the delivery's outcome if the claim (`etag`) still holds; RowChangedError if it was taken. */
export async function saveDelivery(
  table: TableClient,
  key: DeliveryKey,
  row: DeliveryRow,
  etag: string,
): Promise<void> {
  await new TableStore<DeliveryRow>(table).replaceIfMatch(
    { partitionKey: tableKey(key.versionKey), rowKey: deliveryRowKey(key), ...row },
    etag,
  );
}

export async function listDeliveries(table: TableClient, versionKey: string): Promise<DeliveryRow[]> {
  const rows: DeliveryRow[] = [];
  const filter = odata`PartitionKey eq ${tableKey(versionKey)}`;
  for await (const entity of new TableStore<DeliveryRow>(table).list(filter)) rows.push(stripEntity(entity));
  return rows;
}

function stripEntity(entity: StoredRow<DeliveryRow>): DeliveryRow {
  const { etag: _etag, partitionKey: _pk, rowKey: _rk, timestamp: _ts, ...row } = entity;
  return row;
}
