import { odata, type TableClient, type TableEntity } from '@azure/data-tables';
import type { ImageVersionRef } from '../arm/resource-id';
import { ensureTable as createTableOnce } from '../azure/ensure-table';
import type { Clock } from '../runtime/clock';
import { RunAlreadyExistsError, RunConflictError } from './ledger-errors';
import { MAX_ATTEMPT, runIdOf, runKeyOf, versionPartitionKey, type RunKey } from './run-key';
import { RunState } from './run-state';
import { statusOf } from '../azure/rest-errors';
import { runFromEntity, type ExtraValue, type RunColumns, type ValidationRun } from './validation-run';

export const RUN_TABLE = 'ggruns';

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
  readonly extra?: Readonly<Record<string, ExtraValue>>;
}

/**
 * The run ledger: one row per image version per attempt. Every write is conditional (insert-if-absent,
 * If-Match on the ETag), so any number of instances can race and the table stays right; conflicts
 * surface as RunAlreadyExistsError / RunConflictError carrying the row that won.
 */
export class RunLedger {
  constructor(
    private readonly table: TableClient,
    private readonly clock: Clock,
  ) {}

  /** Creates the table once per process (a no-op when it exists). */
  ensureTable(): Promise<void> {
    return createTableOnce(this.table);
  }

  async getRun(key: RunKey): Promise<ValidationRun | undefined> {
    await this.ensureTable();
    try {
      return runFromEntity(await this.table.getEntity(key.partitionKey, key.rowKey));
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
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
      firstEventId: input.eventId,
      ...(input.correlationId === undefined ? {} : { correlationId: input.correlationId }),
      ...(input.eventTime === undefined ? {} : { eventTime: input.eventTime }),
    };
    try {
      await this.table.createEntity<RunColumns>({ ...key, ...columns });
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      const existing = await this.getRun(key);
      // Deleted between our insert and read: extremely unlikely; let the caller retry the delivery.
      if (existing === undefined) throw error;
      throw new RunAlreadyExistsError(existing, { cause: error });
    }
    const stored = await this.getRun(key);
    if (stored === undefined) throw new RunConflictError(runIdOf(key), undefined);
    return stored;
  }

  /** Insert-if-absent: returns the row for this attempt and whether this call created it. */
  async createAttempt(input: NewRun): Promise<{ run: ValidationRun; created: boolean }> {
    try {
      return { run: await this.insertRun(input), created: true };
    } catch (error) {
      if (error instanceof RunAlreadyExistsError) return { run: error.existing, created: false };
      throw error;
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
    const { extra, sources, ...known } = changes;
    const entity: TableEntity<Record<string, unknown>> = {
      ...run.key,
      ...extra,
      ...Object.fromEntries(Object.entries(known).filter(([, v]) => v !== undefined)),
      ...(sources === undefined ? {} : { sources: sources.join(',') }),
      updatedAt: this.clock().toISOString(),
    };
    try {
      await this.table.updateEntity(entity, 'Merge', { etag: run.etag });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 412 && status !== 404) throw error;
      throw new RunConflictError(run.runId, await this.getRun(run.key), { cause: error });
    }
    const stored = await this.getRun(run.key);
    if (stored === undefined) throw new RunConflictError(run.runId, undefined);
    return stored;
  }

  /**
   * Read-modify-write with retry on conflict: `decide` sees the freshest row and returns the changes
   * to make, or undefined for "nothing to do". Returns the final row (undefined if there is none).
   */
  async mutateRun(
    key: RunKey,
    decide: (run: ValidationRun) => RunChanges | undefined,
    maxTries = 20,
  ): Promise<ValidationRun | undefined> {
    let run = await this.getRun(key);
    for (let attempt = 1; run !== undefined; attempt++) {
      const changes = decide(run);
      if (changes === undefined) return run;
      try {
        return await this.updateRun(run, changes);
      } catch (error) {
        if (!(error instanceof RunConflictError) || attempt >= maxTries) throw error;
        run = error.current;
      }
    }
    return undefined;
  }

  /** Every attempt for a version, oldest first. */
  async listAttempts(version: ImageVersionRef): Promise<ValidationRun[]> {
    await this.ensureTable();
    const runs: ValidationRun[] = [];
    const filter = odata`PartitionKey eq ${versionPartitionKey(version)}`;
    for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
      runs.push(runFromEntity(entity));
    }
    return runs.sort((a, b) => a.attempt - b.attempt);
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
    for await (const entity of this.table.listEntities({ queryOptions: { filter } })) {
      runs.push(runFromEntity(entity));
      if (options.limit !== undefined && runs.length >= options.limit) break;
    }
    return runs;
  }
}
