import type { TableClient, TableEntity } from '@azure/data-tables';
import { odata } from '../azure/odata';
import type { ImageVersionRef } from '../arm/resource-id';
import { ensureTable as createTableOnce } from '../azure/ensure-table';
import {
  RowChangedError,
  RowContendedError,
  RowExistsError,
  TableStore,
  type Mutated,
  type StoredRow,
} from '../azure/table-store';
import type { Clock } from '../runtime/clock';
import { RunAlreadyExistsError, RunConflictError } from './ledger-errors';
import { MAX_ATTEMPT, runIdOf, runKeyOf, versionPartitionKey, type RunKey } from './run-key';
import { indexedRun, sameProjection, type RunIndex } from './run-index';
import { RunState } from './run-state';
import { boundedText } from '../azure/table-value';
import { runFromEntity, type ExtraValue, type RunColumns, type ValidationRun } from './validation-run';

export const RUN_TABLE = 'ggruns';

/** A run row as the store sees it: the known RunColumns plus whatever later stages added. */
type RunRow = Record<string, unknown>;

/** What ingest knows when it first sees a version. */
export interface NewRun {
  readonly version: ImageVersionRef;
  /** ARM spelling of the version id. */
  readonly versionId: string;
  readonly attempt: number;
  readonly source: string;
  readonly eventId: string;
  readonly correlationId?: string;
  readonly eventTime?: string;
  /** The instance ARM showed (publishedDate); unset when ARM did not show the version yet. */
  readonly instanceId?: string;
  readonly state?: RunState;
}

/** Columns an update may change; `extra` adds or overwrites columns this module does not know. */
export interface RunChanges {
  readonly state?: RunState;
  readonly stateReason?: string;
  readonly sources?: readonly string[];
  readonly nextActionAt?: string;
  readonly versionId?: string;
  readonly enqueuedAt?: string;
  readonly instanceId?: string;
  readonly extra?: Readonly<Record<string, ExtraValue>>;
}

/**
 * The run ledger: one row per image version per attempt. Every write is conditional (insert-if-absent,
 * If-Match on the ETag, through TableStore), so any number of instances can race and the table stays
 * right; the store's conflicts surface as RunAlreadyExistsError / RunConflictError carrying the run
 * that won.
 */
export class RunLedger {
  private readonly store: TableStore<RunRow>;

  /** `index`: the run index kept next to the rows (operators list runs from it); optional in tests. */
  constructor(
    private readonly table: TableClient,
    private readonly clock: Clock,
    private readonly index?: RunIndex,
  ) {
    this.store = new TableStore(table);
  }

  /**
   * Brings the run's index rows up to date. Writers call it after every row change that the index
   * shows; call it again for a row that may have missed it (a crash between the two writes).
   */
  async reindex(run: ValidationRun): Promise<void> {
    await this.index?.record(run);
  }

  /** Creates the table once per process (a no-op when it exists). */
  ensureTable(): Promise<void> {
    return createTableOnce(this.table);
  }

  async getRun(key: RunKey): Promise<ValidationRun | undefined> {
    await this.ensureTable();
    return runOrUndefined(await this.store.get(key.partitionKey, key.rowKey));
  }

  /** Inserts a new attempt; if it exists already, throws RunAlreadyExistsError with the stored row. */
  async insertRun(input: NewRun): Promise<ValidationRun> {
    await this.ensureTable();
    const key = runKeyOf(input.version, input.attempt);
    const now = this.clock().toISOString();
    const columns: RunColumns = {
      versionId: input.versionId,
      versionKey: input.version.key,
      galleryKey: input.version.galleryKey,
      attempt: input.attempt,
      state: input.state ?? RunState.Queued,
      sources: input.source,
      firstSeenAt: now,
      updatedAt: now,
      nextActionAt: now,
      // Text from outside is bounded: no event can make the insert fail (PropertyValueTooLarge).
      firstEventId: boundedText(input.eventId, 1024),
      ...(input.correlationId === undefined ? {} : { correlationId: boundedText(input.correlationId, 1024) }),
      ...(input.eventTime === undefined ? {} : { eventTime: boundedText(input.eventTime, 64) }),
      ...(input.instanceId === undefined ? {} : { instanceId: input.instanceId }),
    };
    try {
      await this.store.insertIfAbsent({ ...key, ...columns });
    } catch (error) {
      if (!(error instanceof RowExistsError)) throw error;
      const { existing } = error as RowExistsError<RunRow>;
      // Deleted between our insert and read: extremely unlikely; let the caller retry the delivery.
      if (existing === undefined) throw error;
      throw new RunAlreadyExistsError(runFromEntity(existing), { cause: error });
    }
    const stored = await this.storedAfterWrite(key);
    await this.reindex(stored);
    return stored;
  }

  /** Insert-if-absent: returns the row for this attempt and whether this call created it. */
  async createAttempt(input: NewRun): Promise<{ run: ValidationRun; created: boolean }> {
    try {
      return { run: await this.insertRun(input), created: true };
    } catch (error) {
      if (!(error instanceof RunAlreadyExistsError)) throw error;
      // The creator may have crashed before indexing the row: indexing again is harmless.
      await this.reindex(error.existing);
      return { run: error.existing, created: false };
    }
  }

  /**
   * Re-validation: creates attempt `afterAttempt + 1`. Idempotent for a given `afterAttempt`, so a
   * retried "re-validate after attempt N" request creates exactly one attempt N+1.
   */
  createNextAttempt(
    input: Omit<NewRun, 'attempt'>,
    afterAttempt: number,
  ): Promise<{ run: ValidationRun; created: boolean }> {
    if (afterAttempt >= MAX_ATTEMPT) throw new RangeError(`No attempts left after ${afterAttempt}`);
    return this.createAttempt({ ...input, attempt: afterAttempt + 1 });
  }

  /** ETag-guarded merge; 412/404 → RunConflictError carrying the current row (or undefined). */
  async updateRun(run: ValidationRun, changes: RunChanges): Promise<ValidationRun> {
    await this.ensureTable();
    try {
      await this.store.replaceIfMatch(this.changedEntity(run.key, changes), run.etag, 'Merge');
    } catch (error) {
      if (!(error instanceof RowChangedError)) throw error;
      const { current } = error as RowChangedError<RunRow>;
      throw new RunConflictError(run.runId, runOrUndefined(current), { cause: error });
    }
    const stored = await this.storedAfterWrite(run.key);
    if (!sameProjection(indexedRun(run), indexedRun(stored))) await this.reindex(stored);
    return stored;
  }

  /**
   * Read-modify-write, at most `maxTries` rounds (TableStore.mutate): `decide` sees the freshest row
   * and returns the changes to make, or undefined for "nothing to do". Returns the final row
   * (undefined if there is none); a row that keeps changing ends in RunConflictError with the last
   * run seen.
   */
  async mutateRun(
    key: RunKey,
    decide: (run: ValidationRun) => RunChanges | undefined,
    maxTries = 20,
  ): Promise<ValidationRun | undefined> {
    await this.ensureTable();
    let result: Mutated<RunRow>;
    let before: ValidationRun | undefined;
    try {
      result = await this.store.mutate(
        key.partitionKey,
        key.rowKey,
        (current) => {
          if (current === undefined) return undefined;
          before = runFromEntity(current);
          const changes = decide(before);
          return changes === undefined ? undefined : this.changedEntity(key, changes);
        },
        maxTries,
        'Merge',
      );
    } catch (error) {
      if (!(error instanceof RowContendedError)) throw error;
      const { current } = error as RowContendedError<RunRow>;
      throw new RunConflictError(runIdOf(key), runOrUndefined(current), { cause: error });
    }
    // Not written: decide kept the stored row (or there is none).
    if (!result.written) return runOrUndefined(result.row as StoredRow<RunRow> | undefined);
    const stored = await this.getRun(key);
    if (
      stored !== undefined &&
      (before === undefined || !sameProjection(indexedRun(before), indexedRun(stored)))
    ) {
      await this.reindex(stored);
    }
    return stored;
  }

  /** The merge entity for `changes`: known columns that are set, `extra` as is, a fresh updatedAt. */
  private changedEntity(key: RunKey, changes: RunChanges): TableEntity<RunRow> {
    const { extra, sources, ...known } = changes;
    return {
      ...key,
      ...extra,
      ...Object.fromEntries(Object.entries(known).filter(([, v]) => v !== undefined)),
      ...(sources === undefined ? {} : { sources: sources.join(',') }),
      updatedAt: this.clock().toISOString(),
    };
  }

  /** Re-reads a row just written (for its ETag and merged columns); gone already → RunConflictError. */
  private async storedAfterWrite(key: RunKey): Promise<ValidationRun> {
    const stored = await this.getRun(key);
    if (stored === undefined) throw new RunConflictError(runIdOf(key), undefined);
    return stored;
  }

  /** Every attempt for a version, oldest first. */
  async listAttempts(version: ImageVersionRef): Promise<ValidationRun[]> {
    await this.ensureTable();
    const runs: ValidationRun[] = [];
    const filter = odata`PartitionKey eq ${versionPartitionKey(version)}`;
    for await (const entity of this.store.list(filter)) runs.push(runFromEntity(entity));
    return runs.sort((a, b) => a.attempt - b.attempt);
  }

  /** Every run of every version of one gallery (the governance audit reads them once per audit). */
  async listRunsInGallery(galleryKey: string): Promise<ValidationRun[]> {
    await this.ensureTable();
    const runs: ValidationRun[] = [];
    const filter = odata`galleryKey eq ${galleryKey.toLowerCase()}`;
    for await (const entity of this.store.list(filter)) runs.push(runFromEntity(entity));
    return runs;
  }

  async latestAttempt(version: ImageVersionRef): Promise<ValidationRun | undefined> {
    return (await this.listAttempts(version)).at(-1);
  }

  /** Runs in one of `states` whose nextActionAt is at or before `dueBy` (for the reconciler). */
  async listRunsInState(
    states: readonly RunState[],
    options: { dueBy?: Date; limit?: number } = {},
  ): Promise<ValidationRun[]> {
    await this.ensureTable();
    const stateFilter = states.map((s) => odata`state eq ${s}`).join(' or ');
    const dueFilter =
      options.dueBy === undefined ? '' : odata` and nextActionAt le ${options.dueBy.toISOString()}`;
    const filter = `(${stateFilter})${dueFilter}`;
    const runs: ValidationRun[] = [];
    for await (const entity of this.store.list(filter)) {
      runs.push(runFromEntity(entity));
      if (options.limit !== undefined && runs.length >= options.limit) break;
    }
    return runs;
  }
}

function runOrUndefined(entity: StoredRow<RunRow> | undefined): ValidationRun | undefined {
  return entity === undefined ? undefined : runFromEntity(entity);
}
