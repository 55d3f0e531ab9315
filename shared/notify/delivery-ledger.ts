import type { TableClient } from '@azure/data-tables';
import { isConflictStatus as isConflict, TableStore } from '../azure/table-store';
import { escapeTableKey as tableKey } from '../azure/table-key';

/**
 * One row per (version, run, kind, channel) in table "notifications": the claim that makes a card or
 * page go out once. Insert-if-absent claims the delivery; a lease lets another instance take over a
 * claim whose holder crashed. Only the destination's *name* is stored, never its URL or key.
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
  for (let tries = 0; tries < 5; tries++) {
    const existing = await new TableStore<DeliveryRow>(table).get(partitionKey, rowKey);
    try {
      if (existing === undefined) {
        const row: DeliveryRow = {
          ...fresh,
          status: 'Sending',
          attempts: 0,
          leaseUntil,
          updatedAt: now.toISOString(),
        };
        const response = await table.createEntity({ partitionKey, rowKey, ...row });
        return { kind: 'claimed', row, etag: response.etag ?? '*' };
      }
      const row = stripEntity(existing);
      if (row.status !== 'Sending') return { kind: 'done', row };
      if (Date.parse(row.leaseUntil) > now.getTime()) return { kind: 'busy', row };
      const taken: DeliveryRow = { ...row, leaseUntil, updatedAt: now.toISOString() };
      const response = await table.updateEntity({ partitionKey, rowKey, ...taken }, 'Replace', {
        etag: existing.etag,
      });
      return { kind: 'claimed', row: taken, etag: response.etag ?? '*' };
    } catch (error) {
      if (!isConflict(error)) throw error;
    }
  }
  throw new Error('could not claim the delivery after repeated conflicts');
}

export async function saveDelivery(
  table: TableClient,
  key: DeliveryKey,
  row: DeliveryRow,
  etag: string,
): Promise<void> {
  await table.updateEntity(
    { partitionKey: tableKey(key.versionKey), rowKey: deliveryRowKey(key), ...row },
    'Replace',
    {
      etag,
    },
  );
}

export async function listDeliveries(table: TableClient, versionKey: string): Promise<DeliveryRow[]> {
  const pk = tableKey(versionKey).replace(/'/g, "''");
  const rows: DeliveryRow[] = [];
  for await (const entity of table.listEntities<DeliveryRow>({
    queryOptions: { filter: `PartitionKey eq '${pk}'` },
  })) {
    rows.push(stripEntity(entity));
  }
  return rows;
}

function stripEntity(
  entity: DeliveryRow & { etag?: string; partitionKey?: string; rowKey?: string; timestamp?: string },
): DeliveryRow {
  const { etag: _etag, partitionKey: _pk, rowKey: _rk, timestamp: _ts, ...row } = entity;
  return row;
}
