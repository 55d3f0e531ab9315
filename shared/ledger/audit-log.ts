import { odata, type TableClient } from '@azure/data-tables';
import { ensureTable as createTableOnce } from '../azure/ensure-table';
import type { Clock } from '../runtime/clock';
import { escapeTableKey } from '../azure/table-key';
import { TableStore } from '../azure/table-store';

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

/**
 * Audit trail of received events. Rows are partitioned by UTC day of receipt, so retention is
 * "delete whole partitions older than N days" (see purgeOlderThan). A redelivered event overwrites its
 * own row for that day (RowKey = source + event id), so at-least-once delivery does not multiply rows.
 */
export class AuditLog {
  private readonly store: TableStore<Omit<AuditRow, 'day'>>;

  constructor(
    private readonly table: TableClient,
    private readonly clock: Clock,
  ) {
    this.store = new TableStore(table);
  }

  ensureTable(): Promise<void> {
    return createTableOnce(this.table);
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.ensureTable();
    const now = this.clock();
    const day = now.toISOString().slice(0, 10);
    // The same entry without its unset fields (Table Storage has no "undefined" column).
    const defined = Object.fromEntries(
      Object.entries(entry).filter(([, v]) => v !== undefined),
    ) as unknown as AuditEntry;
    await this.store.upsert({
      partitionKey: day,
      rowKey: escapeTableKey(`${entry.source}|${entry.eventId}`),
      ...defined,
      receivedAt: now.toISOString(),
    });
  }

  async listDay(day: string): Promise<AuditRow[]> {
    await this.ensureTable();
    const rows: AuditRow[] = [];
    const filter = odata`PartitionKey eq ${day}`;
    for await (const entity of this.store.list(filter)) {
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
