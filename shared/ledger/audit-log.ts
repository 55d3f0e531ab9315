import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { odata } from '../azure/odata';
import { ensureTable as createTableOnce } from '../azure/ensure-table';
import { TableStore } from '../azure/table-store';
import { escapeTableKey } from '../azure/table-key';
import { boundedText } from '../azure/table-value';
import type { Clock } from '../runtime/clock';

export const AUDIT_TABLE = 'ggaudit';

/** One received event and what gallery-guard decided about it. */
export interface AuditEntry {
  readonly eventId: string;
  readonly source: string;
  readonly eventType: string;
  readonly decision: string;
  readonly reason?: string;
  readonly subject?: string;
  readonly versionId?: string;
  readonly runId?: string;
  readonly correlationId?: string;
}

export interface AuditRow extends AuditEntry {
  readonly receivedAt: string;
  readonly day: string;
}

type AuditColumns = AuditEntry & { readonly receivedAt: string };

/**
 * The row key of an entry: source + event id + a hash of what was decided. Insert-only: a redelivery
 * decided the same way finds its row (nothing written), a delivery decided differently (or a forged
 * event reusing an id) gets a row of its own; no row is ever overwritten.
 */
function rowKeyOf(entry: AuditEntry): string {
  const { eventId, source, ...decided } = entry;
  const digest = createHash('sha256').update(JSON.stringify(decided)).digest('hex').slice(0, 16);
  return escapeTableKey(`${source}|${eventId}|${digest}`);
}

/** Every text column bounded (Table Storage's 64 KiB per property), undefined columns left out. */
function columns(entry: AuditEntry, receivedAt: string): AuditColumns {
  const defined = Object.entries(entry).filter(([, v]) => v !== undefined);
  return {
    ...(Object.fromEntries(
      defined.map(([k, v]) => [k, typeof v === 'string' ? boundedText(v) : v]),
    ) as unknown as AuditEntry),
    receivedAt,
  };
}

/**
 * Audit trail of received events, partitioned by UTC day of receipt, so retention is "delete whole
 * partitions older than N days" (see purgeOlderThan). Rows are only ever inserted (see rowKeyOf);
 * a request's rows go in batches of 100 (one entity group transaction each).
 */
export class AuditLog {
  private readonly store: TableStore<AuditColumns>;

  constructor(
    private readonly table: TableClient,
    private readonly clock: Clock,
  ) {
    this.store = new TableStore<AuditColumns>(table);
  }

  ensureTable(): Promise<void> {
    return createTableOnce(this.table);
  }

  record(entry: AuditEntry): Promise<void> {
    return this.recordAll([entry]);
  }

  async recordAll(entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.ensureTable();
    const now = this.clock().toISOString();
    const partitionKey = now.slice(0, 10);
    const rows = new Map<string, { partitionKey: string; rowKey: string } & AuditColumns>();
    for (const entry of entries) {
      const rowKey = rowKeyOf(entry);
      rows.set(rowKey, { partitionKey, rowKey, ...columns(entry, now) });
    }
    await this.store.insertAllIfAbsent([...rows.values()]);
  }

  async listDay(day: string): Promise<AuditRow[]> {
    await this.ensureTable();
    const rows: AuditRow[] = [];
    for await (const entity of this.store.list(odata`PartitionKey eq ${day}`)) {
      rows.push({ ...entity, day: entity.partitionKey ?? day });
    }
    return rows;
  }

  /** Deletes every row received on a UTC day before the cutoff's day; returns how many went. */
  async purgeOlderThan(retentionDays: number): Promise<number> {
    await this.ensureTable();
    const cutoff = new Date(this.clock().getTime() - retentionDays * 86_400_000).toISOString().slice(0, 10);
    const filter = odata`PartitionKey lt ${cutoff}`;
    let deleted = 0;
    const select = ['PartitionKey', 'RowKey'];
    for await (const entity of this.store.list(filter, select)) {
      if (await this.store.deleteIfMatch(entity.partitionKey ?? '', entity.rowKey ?? '')) deleted++;
    }
    return deleted;
  }
}
