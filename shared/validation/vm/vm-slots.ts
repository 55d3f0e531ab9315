import type { TableClient } from '@azure/data-tables';
import { odata } from '../../azure/odata';
import { ensureTable as createTableOnce } from '../../azure/ensure-table';
import { RowChangedError, RowExistsError, TableStore } from '../../azure/table-store';
import type { Clock } from '../../runtime/clock';
import { systemRandom, type Random } from '../../runtime/random';

export const VM_SLOT_TABLE = 'ggvmslots';
const WAITERS = 'waiters';

/** One VM a run wants to hold a slot for: `holder` is stable across size retries of that VM. */
export interface SlotRequest {
  readonly holder: string;
  readonly region: string;
}

interface SlotColumns {
  holder: string;
  expiresAt: string;
}

interface SlotRow extends SlotColumns {
  partitionKey: string;
  rowKey: string;
  etag: string;
}

interface WaiterColumns {
  runId?: string;
}

/**
 * Crash-safe caps on live validation VMs, per region and per subscription, as lease rows in Table
 * Storage: partition = scope, row = slot number, holder + expiry inside. Claims are ETag-guarded (or
 * insert-if-absent), so two instances never hold one slot; a lease a crashed run never released frees
 * itself when it expires. A run takes all its slots or none, so runs cannot deadlock each other.
 * Slots and waiters are written through TableStore; a lost race is its RowExistsError/RowChangedError.
 */
export class VmSlots {
  private readonly slots: TableStore<SlotColumns>;
  private readonly waiters: TableStore<WaiterColumns>;

  constructor(
    private readonly table: TableClient,
    private readonly clock: Clock,
    private readonly caps: { readonly perRegion: number; readonly perSubscription: number },
    private readonly random: Random = systemRandom,
  ) {
    this.slots = new TableStore(table);
    this.waiters = new TableStore(table);
  }

  private ensureTable(): Promise<void> {
    return createTableOnce(this.table);
  }

  /**
   * Takes (or confirms) a slot per request in both scopes; all or nothing. `released` counts slots it
   * took and gave back on failure: someone may have been refused one of them meanwhile.
   */
  async acquireAll(
    requests: readonly SlotRequest[],
    ttlMs: number,
  ): Promise<{ ok: boolean; released: number }> {
    await this.ensureTable();
    const taken: { scope: string; holder: string }[] = [];
    for (const request of requests) {
      for (const [scope, cap] of [
        ['subscription', this.caps.perSubscription],
        [`region-${request.region}`, this.caps.perRegion],
      ] as const) {
        if (await this.claim(scope, cap, request.holder, ttlMs)) {
          taken.push({ scope, holder: request.holder });
        } else {
          for (const t of taken) await this.releaseIn(t.scope, t.holder);
          return { ok: false, released: taken.length };
        }
      }
    }
    return { ok: true, released: 0 };
  }

  async releaseAll(requests: readonly SlotRequest[]): Promise<void> {
    await this.ensureTable();
    for (const request of requests) {
      await this.releaseIn('subscription', request.holder);
      await this.releaseIn(`region-${request.region}`, request.holder);
    }
  }

  /**
   * Registers a run that found no free slot, in FIFO order of when it first waited (`since`). Rows are
   * only wake-up hints: a run also polls on its own, so a lost row delays it but never strands it.
   */
  async addWaiter(runId: string, since: string, runHash: string): Promise<void> {
    await this.ensureTable();
    await this.waiters.upsert({ partitionKey: WAITERS, rowKey: `${since}~${runHash}`, runId });
  }

  async removeWaiter(since: string, runHash: string): Promise<void> {
    await this.ensureTable();
    await this.waiters.deleteIfMatch(WAITERS, `${since}~${runHash}`);
  }

  /** Takes the `count` longest-waiting runs off the list and returns their run ids (to wake them). */
  async popWaiters(count: number): Promise<string[]> {
    await this.ensureTable();
    const taken: string[] = [];
    const filter = odata`PartitionKey eq ${WAITERS}`;
    for await (const row of this.waiters.list(filter)) {
      if (taken.length >= count) break;
      try {
        // Gone already (false) or changed (RowChangedError): another releaser woke it.
        if (!(await this.waiters.deleteIfMatch(WAITERS, row.rowKey ?? '', row.etag))) continue;
      } catch (error) {
        if (error instanceof RowChangedError) continue;
        throw error;
      }
      if (typeof row.runId === 'string') taken.push(row.runId);
    }
    return taken;
  }

  /** Runs waiting for a slot, longest waiting first (the order they are woken in). */
  async listWaiters(): Promise<{ readonly runId: string; readonly since: string }[]> {
    await this.ensureTable();
    const waiters: { runId: string; since: string }[] = [];
    const filter = odata`PartitionKey eq ${WAITERS}`;
    for await (const row of this.table.listEntities<{ runId?: string }>({ queryOptions: { filter } })) {
      if (typeof row.runId !== 'string') continue;
      waiters.push({ runId: row.runId, since: (row.rowKey ?? '').split('~')[0] ?? '' });
    }
    return waiters;
  }

  /** The caps slots are counted against. */
  get limits(): { readonly perRegion: number; readonly perSubscription: number } {
    return this.caps;
  }

  /** Live (unexpired) leases per scope (`subscription` or `region-<name>`): operators, tests, the benchmark. */
  async liveCount(scope = 'subscription'): Promise<number> {
    await this.ensureTable();
    const now = this.clock().toISOString();
    return (await this.rows(scope)).filter((r) => r.holder !== '' && r.expiresAt > now).length;
  }

  private async rows(scope: string): Promise<SlotRow[]> {
    const rows: SlotRow[] = [];
    const filter = odata`PartitionKey eq ${scope}`;
    for await (const e of this.slots.list(filter)) {
      rows.push({
        partitionKey: e.partitionKey ?? scope,
        rowKey: e.rowKey ?? '',
        holder: e.holder ?? '',
        expiresAt: e.expiresAt ?? '',
        etag: e.etag,
      });
    }
    return rows;
  }

  private async claim(scope: string, cap: number, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + ttlMs).toISOString();
    const rows = await this.rows(scope);
    if (rows.some((r) => r.holder === holder)) return true;
    const byIndex = new Map(rows.map((r) => [r.rowKey, r]));
    // Start at a random slot so that runs woken together do not all race for the lowest free one.
    const first = Math.floor(this.random() * cap);
    for (let k = 0; k < cap; k++) {
      const rowKey = String((first + k) % cap).padStart(4, '0');
      const row = byIndex.get(rowKey);
      try {
        if (row === undefined) {
          await this.slots.insertIfAbsent({ partitionKey: scope, rowKey, holder, expiresAt });
          return true;
        }
        if (row.holder === '' || row.expiresAt <= now.toISOString()) {
          await this.slots.replaceIfMatch({ partitionKey: scope, rowKey, holder, expiresAt }, row.etag);
          return true;
        }
      } catch (error) {
        if (!(error instanceof RowExistsError || error instanceof RowChangedError)) throw error;
        // Someone else took this slot first; try the next one.
      }
    }
    return false;
  }

  private async releaseIn(scope: string, holder: string): Promise<void> {
    for (const row of await this.rows(scope)) {
      if (row.holder !== holder) continue;
      try {
        await this.slots.replaceIfMatch(
          { partitionKey: scope, rowKey: row.rowKey, holder: '', expiresAt: '' },
          row.etag,
        );
      } catch (error) {
        // Taken over after it expired, or gone: no longer ours to give back.
        if (!(error instanceof RowChangedError)) throw error;
      }
    }
  }
}
