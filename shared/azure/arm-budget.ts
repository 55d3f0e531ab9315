import type { TableClient } from '@azure/data-tables';
import { ensureTable } from './ensure-table';
import { RowChangedError, RowExistsError, TableStore, type StoredRow } from './table-store';

/**
 * One ARM budget shared by every instance of the function app. ARM's token buckets are per region,
 * subscription, service principal and operation type ("Understand how Azure Resource Manager throttles
 * requests": reads 250 / 25 per s, writes and deletes 200 / 10 per s); every instance of the app runs
 * in one region under one managed identity, so all of them draw on the same buckets, and up to 40
 * Flex Consumption instances with a bucket each would overrun them 40×. Here the bucket lives in one
 * Table row per subscription and kind, and instances lease tokens from it in batches under the row's
 * ETag: one Table write buys a batch of ARM requests.
 */
export const ARM_BUDGET_TABLE = 'ggarmbudget';

export type ArmBucketKind = 'read' | 'write' | 'delete';

export interface BucketSpec {
  readonly ratePerSecond: number;
  readonly burst: number;
}

/** What one stored bucket holds: its level at `atMs`, and a Retry-After every instance honours. */
export interface BudgetRow {
  level: number;
  atMs: number;
  blockedUntilMs: number;
}

/** Tokens an instance may spend from `validFromMs` until `expiresAtMs`; or a wait too long to take. */
export type Lease =
  | { readonly tokens: number; readonly validFromMs: number; readonly expiresAtMs: number }
  | { readonly tokens: 0; readonly waitMs: number };

export interface LeaseTerms {
  /** Tokens taken per lease. */
  readonly batch: number;
  /** How long leased tokens stay spendable; unspent ones lapse (they are not given back). */
  readonly ttlMs: number;
  /** A lease that would start later than this is not taken: the caller requeues instead. */
  readonly maxWaitMs: number;
  /**
   * Tokens of this instance's lapsed lease it never spent: back into the bucket (up to its capacity),
   * as if never taken, which ARM's bucket never saw either.
   */
  readonly returned?: number;
}

/**
 * The shared bucket's capacity. Leased tokens are deducted when they become valid but may be spent up
 * to `ttlMs` later, so in any window ARM can see up to ratePerSecond·ttl more requests than the
 * stored bucket let out; a returned rest of a lease may refill a bucket that had meanwhile filled up
 * by up to one batch more. The stored bucket is smaller than ARM's by both.
 */
export function sharedCapacity(spec: BucketSpec, terms: Pick<LeaseTerms, 'ttlMs' | 'batch'>): number {
  return Math.max(1, spec.burst - Math.ceil((spec.ratePerSecond * terms.ttlMs) / 1000) - terms.batch);
}

/**
 * Pure decision on one stored bucket: refill, then take a batch. The level may go below zero by at
 * most what refills within `maxWaitMs`: such a lease starts when the refill covers it. Returns the
 * row to store (undefined: leave it) and the lease.
 */
export function decideLease(
  current: BudgetRow | undefined,
  spec: BucketSpec,
  terms: LeaseTerms,
  now: number,
): { readonly next: BudgetRow | undefined; readonly lease: Lease } {
  const capacity = sharedCapacity(spec, terms);
  const row = current ?? { level: capacity, atMs: now, blockedUntilMs: 0 };
  const refilled = row.level + (Math.max(0, now - row.atMs) / 1000) * spec.ratePerSecond;
  const level = Math.min(capacity, refilled + (terms.returned ?? 0));
  const batch = Math.max(1, Math.min(terms.batch, capacity));
  const after = level - batch;
  const refillWait = after >= 0 ? 0 : (-after / spec.ratePerSecond) * 1000;
  const validFromMs = Math.max(now + refillWait, row.blockedUntilMs);
  if (validFromMs - now > terms.maxWaitMs)
    return { next: undefined, lease: { tokens: 0, waitMs: validFromMs - now } };
  return {
    // Clocks of instances differ a little: time in the row never goes back, so no refill counts twice.
    next: { level: after, atMs: Math.max(now, row.atMs), blockedUntilMs: row.blockedUntilMs },
    lease: { tokens: batch, validFromMs, expiresAtMs: validFromMs + terms.ttlMs },
  };
}

/** Bound on lost ETag races per lease (with a jittered pause between them); past it the caller waits. */
const MAX_TRIES = 6;

const PARTITION = 'arm-budget';

function rowKey(subscriptionId: string, kind: ArmBucketKind): string {
  return `${subscriptionId.toLowerCase().replace(/[^0-9a-z-]/g, '_')}-${kind}`;
}

/** The Table-backed shared bucket (the only state: nothing about the budget is kept in memory but ETags). */
export class TableArmBudget {
  private readonly store: TableStore<BudgetRow>;
  /** Last row seen per key: the next lease tries a write against its ETag without reading first. */
  private readonly seen = new Map<string, StoredRow<BudgetRow>>();
  /** Table operations made (for the benchmark's overhead figure). */
  readonly tableOps = { reads: 0, writes: 0, lostRaces: 0 };

  constructor(
    private readonly table: TableClient,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {
    this.store = new TableStore<BudgetRow>(table);
  }

  async lease(
    subscriptionId: string,
    kind: ArmBucketKind,
    spec: BucketSpec,
    terms: LeaseTerms,
  ): Promise<Lease> {
    await ensureTable(this.table);
    const key = rowKey(subscriptionId, kind);
    let current: StoredRow<BudgetRow> | undefined = this.seen.get(key) ?? (await this.read(key));
    for (let tries = 1; ; tries++) {
      const { next, lease } = decideLease(current, spec, terms, this.now());
      if (next === undefined) return lease;
      try {
        const entity = { partitionKey: PARTITION, rowKey: key, ...next };
        this.tableOps.writes++;
        const etag =
          current === undefined
            ? await this.store.insertIfAbsent(entity)
            : await this.store.replaceIfMatch(entity, current.etag);
        this.seen.set(key, { ...entity, etag });
        return lease;
      } catch (error) {
        if (!(error instanceof RowExistsError || error instanceof RowChangedError)) throw error;
        this.tableOps.lostRaces++;
        this.tableOps.reads++;
        current = (error instanceof RowExistsError ? error.existing : error.current) as
          StoredRow<BudgetRow> | undefined;
        if (current === undefined) this.seen.delete(key);
        // A hot row: answer "come back shortly" (the caller waits or requeues), never an unshared spend.
        if (tries >= MAX_TRIES) return { tokens: 0, waitMs: 50 + Math.floor(this.random() * 200) };
        await new Promise((resolve) => setTimeout(resolve, Math.floor(this.random() * 20 * tries)));
      }
    }
  }

  /** ARM answered 429: every instance holds requests of this kind until `untilMs` (best effort). */
  async block(subscriptionId: string, kind: ArmBucketKind, untilMs: number): Promise<void> {
    await ensureTable(this.table);
    const key = rowKey(subscriptionId, kind);
    await this.store.mutate(PARTITION, key, (row) =>
      row !== undefined && row.blockedUntilMs >= untilMs
        ? undefined
        : {
            partitionKey: PARTITION,
            rowKey: key,
            level: row?.level ?? 0,
            atMs: row?.atMs ?? this.now(),
            blockedUntilMs: untilMs,
          },
    );
    this.tableOps.writes++;
    this.seen.delete(key);
  }

  private async read(key: string): Promise<StoredRow<BudgetRow> | undefined> {
    this.tableOps.reads++;
    return this.store.get(PARTITION, key);
  }
}
