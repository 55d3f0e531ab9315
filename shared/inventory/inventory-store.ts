import { odata, type TableClient } from '@azure/data-tables';
import { ensureTable } from '../azure/ensure-table';
import { statusOf } from '../azure/rest-errors';
import { escapeTableKey } from '../azure/table-key';
import { RowExistsError, TableStore } from '../azure/table-store';
import type { GuestInventory } from './guest-inventory';
import type { InventoryDiff } from './inventory-diff';

export const INVENTORY_TABLE = 'gginventory';

/**
 * A string property holds at most 64 KiB (32 K UTF-16 characters) and an entity at most 1 MiB
 * ("Understanding the Table service data model", Property types / entity size): long JSON is cut into
 * columns of CHUNK_CHARS, at most MAX_CHUNKS of them (~480 K characters, under 1 MiB as UTF-16).
 */
const CHUNK_CHARS = 30_000;
const MAX_CHUNKS = 8;

type Row = Record<string, string | number | boolean>;

function chunked(prefix: string, json: string): Row {
  if (json.length > CHUNK_CHARS * MAX_CHUNKS)
    throw new Error(`${prefix} too large to store (${json.length} chars)`);
  const row: Row = {};
  let i = 0;
  for (let at = 0; at < json.length; at += CHUNK_CHARS)
    row[`${prefix}${i++}`] = json.slice(at, at + CHUNK_CHARS);
  row[`${prefix}Chunks`] = i;
  return row;
}

function unchunk(row: Readonly<Record<string, unknown>>, prefix: string): string | undefined {
  const n = Number(row[`${prefix}Chunks`] ?? 0);
  if (!Number.isInteger(n) || n <= 0) return undefined;
  let json = '';
  for (let i = 0; i < n; i++) {
    const part = row[`${prefix}${i}`];
    json += typeof part === 'string' ? part : '';
  }
  return json;
}

export interface StoredInventory {
  readonly versionId: string;
  readonly region: string;
  readonly runId: string;
  readonly vmName: string;
  readonly collectedAt: string;
  readonly inventory: GuestInventory;
}

/**
 * Inventories per version and region (one per run: the first VM checked there), and the diff each
 * run computed. Keys are deterministic, writes insert-if-absent: a phase re-run after a crash finds
 * its row and keeps it; the first write wins.
 */
export class InventoryStore {
  private readonly rows: TableStore<Row>;

  constructor(private readonly table: TableClient) {
    this.rows = new TableStore(table);
  }

  private static partition = (versionId: string): string => escapeTableKey(versionId.toLowerCase());

  async put(stored: StoredInventory): Promise<void> {
    await ensureTable(this.table);
    const { inventory } = stored;
    try {
      await this.rows.insertIfAbsent({
        partitionKey: InventoryStore.partition(stored.versionId),
        rowKey: escapeTableKey(`inv|${stored.region}|${stored.runId}`),
        kind: 'inventory',
        versionId: stored.versionId,
        region: stored.region,
        runId: stored.runId,
        vmName: stored.vmName,
        collectedAt: stored.collectedAt,
        os: inventory.os,
        kernel: inventory.kernel,
        packageCount: inventory.packages.count,
        packageDigest: inventory.packages.digest,
        packageListComplete: inventory.packages.list !== undefined,
        bootSeconds: inventory.boot.seconds ?? -1,
        bootSource: inventory.boot.source,
        ...chunked('inventory', JSON.stringify(inventory)),
      });
    } catch (error) {
      if (!(error instanceof RowExistsError)) throw error;
    }
  }

  /** The inventory run `runId` stored for `versionId` in `region`. */
  async get(versionId: string, region: string, runId: string): Promise<StoredInventory | undefined> {
    await ensureTable(this.table);
    const row = await this.rows.get(
      InventoryStore.partition(versionId),
      escapeTableKey(`inv|${region}|${runId}`),
    );
    return row === undefined ? undefined : toStored(row);
  }

  /** The newest inventory of `versionId` in `region`; undefined when none was stored (or the table is new). */
  async latest(versionId: string, region: string): Promise<StoredInventory | undefined> {
    let best: StoredInventory | undefined;
    try {
      await ensureTable(this.table);
      const filter = odata`PartitionKey eq ${InventoryStore.partition(versionId)} and kind eq 'inventory' and region eq ${region}`;
      for await (const row of this.rows.list(filter)) {
        const found = toStored(row);
        if (found === undefined) continue;
        if (best === undefined || found.collectedAt > best.collectedAt) best = found;
      }
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
    return best;
  }

  async putDiff(versionId: string, runId: string, diff: InventoryDiff): Promise<void> {
    await ensureTable(this.table);
    try {
      await this.rows.insertIfAbsent({
        partitionKey: InventoryStore.partition(versionId),
        rowKey: escapeTableKey(`diff|${diff.region}|${runId}`),
        kind: 'diff',
        versionId,
        runId,
        region: diff.region,
        baselineVersion: diff.kind === 'diff' ? diff.baselineVersion : '',
        ...chunked('diff', JSON.stringify(diff)),
      });
    } catch (error) {
      if (!(error instanceof RowExistsError)) throw error;
    }
  }

  async diffs(versionId: string, runId: string): Promise<InventoryDiff[]> {
    const out: InventoryDiff[] = [];
    try {
      const filter = odata`PartitionKey eq ${InventoryStore.partition(versionId)} and kind eq 'diff' and runId eq ${runId}`;
      for await (const row of this.rows.list(filter)) {
        const json = unchunk(row, 'diff');
        if (json !== undefined) out.push(JSON.parse(json) as InventoryDiff);
      }
    } catch (error) {
      if (statusOf(error) === 404) return [];
      throw error;
    }
    return out.sort((a, b) => a.region.localeCompare(b.region));
  }
}

function toStored(row: Readonly<Record<string, unknown>>): StoredInventory | undefined {
  const json = unchunk(row, 'inventory');
  if (json === undefined) return undefined;
  return {
    versionId: String(row.versionId),
    region: String(row.region),
    runId: String(row.runId),
    vmName: String(row.vmName),
    collectedAt: String(row.collectedAt),
    inventory: JSON.parse(json) as GuestInventory,
  };
}
