import type { TableClient, TableEntity, TableEntityResult, TransactionAction } from '@azure/data-tables';
import { statusOf } from './rest-errors';

/** A stored row with the ETag its next conditional write must carry. */
export type StoredRow<T extends object> = TableEntityResult<T> & { readonly etag: string };

/** Insert found the row already there (HTTP 409): carries the row that won (undefined if it vanished). */
export class RowExistsError<T extends object> extends Error {
  constructor(
    readonly partitionKey: string,
    readonly rowKey: string,
    readonly existing: StoredRow<T> | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Row ${partitionKey}/${rowKey} already exists`, options);
    this.name = 'RowExistsError';
  }
}

/**
 * An ETag-guarded write lost a race (HTTP 412) or the row is gone (404): carries the current row
 * (undefined if gone) so the caller can decide again from fresh state.
 */
export class RowChangedError<T extends object> extends Error {
  constructor(
    readonly partitionKey: string,
    readonly rowKey: string,
    readonly current: StoredRow<T> | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Row ${partitionKey}/${rowKey} changed underneath the write`, options);
    this.name = 'RowChangedError';
  }
}

/**
 * `mutate` lost the race `maxTries` times in a row: a hot row, reported instead of spinning. Carries the
 * row that stood after the last lost race (undefined if it was gone).
 */
export class RowContendedError<T extends object = object> extends Error {
  constructor(
    readonly partitionKey: string,
    readonly rowKey: string,
    readonly tries: number,
    readonly current: StoredRow<T> | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Row ${partitionKey}/${rowKey} kept changing: gave up after ${tries} tries`, options);
    this.name = 'RowContendedError';
  }
}

/** What `mutate`'s decide returns: a row to write, or `undefined` to keep what is stored. */
export type Decision<T extends object> = TableEntity<T> | undefined;

/** What stands after `mutate`: the row written (or the stored one kept), and the ETag it has. */
export interface Mutated<T extends object> {
  readonly row: TableEntity<T> | StoredRow<T> | undefined;
  readonly written: boolean;
  /** ETag of `row` as stored; undefined when there is no row. */
  readonly etag: string | undefined;
}

/** Default bound on read-decide-write rounds; a real row never sees more writers than this at once. */
export const DEFAULT_MUTATE_TRIES = 8;

/** Most operations Table Storage takes in one entity group transaction. */
export const TRANSACTION_LIMIT = 100;

/**
 * The one place Table Storage's conditional writes are spelled out. Every table of gallery-guard goes
 * through it, so a 409 on insert and a 412 on an ETag mismatch always become the same domain errors,
 * each carrying the row that stands, and no caller retries without a bound.
 */
export class TableStore<T extends object> {
  constructor(readonly table: TableClient) {}

  async get(partitionKey: string, rowKey: string): Promise<StoredRow<T> | undefined> {
    try {
      return await this.table.getEntity<T>(partitionKey, rowKey);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  /** Inserts the row, or throws RowExistsError carrying the one already stored. Returns the new ETag. */
  async insertIfAbsent(entity: TableEntity<T>): Promise<string> {
    try {
      const response = await this.table.createEntity<T>(entity);
      return response.etag ?? '*';
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      const existing = await this.get(entity.partitionKey, entity.rowKey);
      throw new RowExistsError<T>(entity.partitionKey, entity.rowKey, existing, { cause: error });
    }
  }

  /**
   * Replaces (or merges) the row only if it still has `etag`; otherwise throws RowChangedError with the
   * current row. Returns the new ETag.
   */
  async replaceIfMatch(
    entity: TableEntity<T>,
    etag: string,
    mode: 'Replace' | 'Merge' = 'Replace',
  ): Promise<string> {
    try {
      const response = await this.table.updateEntity<T>(entity, mode, { etag });
      return response.etag ?? '*';
    } catch (error) {
      const status = statusOf(error);
      if (status !== 412 && status !== 404) throw error;
      const current = await this.get(entity.partitionKey, entity.rowKey);
      throw new RowChangedError<T>(entity.partitionKey, entity.rowKey, current, { cause: error });
    }
  }

  /**
   * Read-decide-write, at most `maxTries` rounds: `decide` sees the stored row (undefined if absent)
   * and returns the row to write or undefined to leave it. Inserts when absent, otherwise replaces (or
   * merges, with `mode`) by ETag; a lost race decides again from the row that won. After `maxTries`
   * lost races it throws RowContendedError. Returns what stands afterwards.
   */
  async mutate(
    partitionKey: string,
    rowKey: string,
    decide: (current: StoredRow<T> | undefined) => Decision<T>,
    maxTries = DEFAULT_MUTATE_TRIES,
    mode: 'Replace' | 'Merge' = 'Replace',
  ): Promise<Mutated<T>> {
    if (!(maxTries >= 1)) throw new RangeError(`mutate needs at least one try, got ${maxTries}`);
    let current = await this.get(partitionKey, rowKey);
    for (let tries = 1; ; tries++) {
      const next = decide(current);
      if (next === undefined) return { row: current, written: false, etag: current?.etag };
      try {
        const etag =
          current === undefined
            ? await this.insertIfAbsent(next)
            : await this.replaceIfMatch(next, current.etag, mode);
        return { row: next, written: true, etag };
      } catch (error) {
        if (!(error instanceof RowExistsError || error instanceof RowChangedError)) throw error;
        current = (error instanceof RowExistsError ? error.existing : error.current) as
          StoredRow<T> | undefined;
        if (tries >= maxTries) {
          throw new RowContendedError<T>(partitionKey, rowKey, tries, current, { cause: error });
        }
      }
    }
  }

  /** Writes the row unconditionally (rows whose every writer writes the same content). */
  /**
   * Inserts every row not stored yet, keeping the ones that are (insert-only tables): rows of one
   * partition go in entity group transactions of 100 (Table Storage's limit); a transaction refused
   * because some row exists falls back to row-by-row inserts. Returns how many rows were new.
   */
  async insertAllIfAbsent(entities: readonly TableEntity<T>[]): Promise<number> {
    const byPartition = new Map<string, TableEntity<T>[]>();
    for (const entity of entities) {
      const rows = byPartition.get(entity.partitionKey) ?? [];
      if (!rows.some((r) => r.rowKey === entity.rowKey)) rows.push(entity);
      byPartition.set(entity.partitionKey, rows);
    }
    let inserted = 0;
    for (const rows of byPartition.values()) {
      for (let i = 0; i < rows.length; i += TRANSACTION_LIMIT) {
        inserted += await this.insertChunk(rows.slice(i, i + TRANSACTION_LIMIT));
      }
    }
    return inserted;
  }

  private async insertChunk(rows: readonly TableEntity<T>[]): Promise<number> {
    if (rows.length > 1) {
      const actions = rows.map((row): TransactionAction => [
        'create',
        row as TableEntity<Record<string, unknown>>,
      ]);
      try {
        await this.table.submitTransaction(actions);
        return rows.length;
      } catch (error) {
        const status = statusOf(error);
        if (status !== 409 && status !== 400) throw error;
      }
    }
    let inserted = 0;
    for (const row of rows) {
      try {
        await this.insertIfAbsent(row);
        inserted++;
      } catch (error) {
        if (!(error instanceof RowExistsError)) throw error;
      }
    }
    return inserted;
  }

  async upsert(entity: TableEntity<T>): Promise<void> {
    await this.table.upsertEntity<T>(entity, 'Replace');
  }

  /** Deletes the row if it is still at `etag` (or any version with '*'); a row already gone is fine. */
  async deleteIfMatch(partitionKey: string, rowKey: string, etag = '*'): Promise<boolean> {
    try {
      await this.table.deleteEntity(partitionKey, rowKey, { etag });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return false;
      if (status === 412)
        throw new RowChangedError<T>(partitionKey, rowKey, await this.get(partitionKey, rowKey), {
          cause: error,
        });
      throw error;
    }
  }

  /** Rows matching the OData `filter` (all when undefined); `select` limits the columns read. */
  async *list(filter?: string, select?: readonly string[]): AsyncIterable<StoredRow<T>> {
    const queryOptions = {
      ...(filter === undefined ? {} : { filter }),
      ...(select === undefined ? {} : { select: [...select] }),
    };
    for await (const entity of this.table.listEntities<T>({ queryOptions })) yield entity;
  }
}
