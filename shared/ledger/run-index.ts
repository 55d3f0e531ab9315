import { createHash } from 'node:crypto';
import type { TableClient, TableEntity, TableEntityResult } from '@azure/data-tables';
import { odata } from '../azure/odata';
import { parseImageVersionId } from '../arm/resource-id';
import { ensureTable as createTableOnce } from '../azure/ensure-table';
import { RowChangedError, TableStore } from '../azure/table-store';
import { escapeTableKey } from '../azure/table-key';
import { isTerminalRunState, parseRunState, type RunState } from './run-state';
import type { ValidationRun } from './validation-run';

export const RUN_INDEX_TABLE = 'ggrunindex';

/**
 * Index rows of the run ledger, so operators can list runs without reading every version's partition:
 *   t-<YYYY-MM> / <inverted firstSeenAt>-<hash of run id>   every run, newest first within its month
 *   active / <run id>                                         runs still in flight
 *   meta / first-month                                        the oldest month holding runs
 * Row keys derive from the run alone, so re-indexing a run always finds its own rows. The run row
 * stays the truth: writes are insert-if-absent or If-Match replaces that never put an older
 * projection over a newer one, and readers re-check rows that claim a run is still in flight.
 */
const ACTIVE = 'active';
const META = 'meta';
const FIRST_MONTH = 'first-month';
const MAX_MS = 9_999_999_999_999;
const MAX_TRIES = 5;
/** Engine columns the index copies (see validation-state COLUMNS); 'Complete' ends the workflow. */
const PHASE_COLUMN = 'phase';
const VERDICT_COLUMN = 'verdict';
const WORKFLOW_DONE = 'Complete';

/** What the index keeps of a run: enough to list and filter runs without reading their rows. */
export interface IndexedRun {
  readonly runId: string;
  readonly versionId: string;
  readonly galleryKey: string;
  readonly gallery: string;
  readonly image: string;
  readonly version: string;
  readonly attempt: number;
  readonly state: RunState;
  readonly verdict?: string;
  readonly phase?: string;
  readonly stateReason?: string;
  readonly firstSeenAt: string;
  readonly updatedAt: string;
}

export interface RunIndexQuery {
  readonly state?: RunState;
  readonly verdict?: string;
  /** Gallery name, or gallery resource id. */
  readonly gallery?: string;
  readonly image?: string;
  /** Runs first seen at or after this time. */
  readonly since?: Date;
  readonly limit: number;
  readonly continuationToken?: string;
}

export interface RunIndexPage {
  readonly runs: readonly IndexedRun[];
  /** Pass back to get the next page; absent on the last one. */
  readonly continuationToken?: string;
}

export class RunIndexTokenError extends Error {
  constructor() {
    super('continuationToken is not one this API handed out');
    this.name = 'RunIndexTokenError';
  }
}

interface IndexColumns extends Omit<IndexedRun, 'state'> {
  readonly state: string;
  /** Lower-cased names, for filters (ARM names are case-insensitive). */
  readonly galleryName: string;
  readonly imageName: string;
}

type Key = { readonly partitionKey: string; readonly rowKey: string };
type Token = { readonly m: string; readonly t?: string };

export function isInFlight(run: Pick<IndexedRun, 'state' | 'phase'>): boolean {
  return !isTerminalRunState(run.state) || (run.phase !== undefined && run.phase !== WORKFLOW_DONE);
}

export function indexedRun(run: ValidationRun): IndexedRun {
  const ref = parseImageVersionId(run.versionId);
  const text = (name: string): string | undefined => {
    const value = run.extra[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    runId: run.runId,
    versionId: run.versionId,
    galleryKey: run.galleryKey,
    gallery: ref.gallery,
    image: ref.image,
    version: ref.version,
    attempt: run.attempt,
    state: run.state,
    verdict: text(VERDICT_COLUMN),
    phase: text(PHASE_COLUMN),
    stateReason: run.stateReason?.slice(0, 300),
    firstSeenAt: run.firstSeenAt,
    updatedAt: run.updatedAt,
  };
}

/** Whether re-indexing `after` would change anything `before` already put in the index. */
export function sameProjection(before: IndexedRun, after: IndexedRun): boolean {
  const { updatedAt: _a, ...b } = before;
  const { updatedAt: _b, ...c } = after;
  return JSON.stringify(b) === JSON.stringify(c);
}

const monthOf = (iso: string): string => iso.slice(0, 7);

function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

function invertedTime(iso: string): string {
  return String(MAX_MS - Date.parse(iso)).padStart(13, '0');
}

/** The month row of a run (exported for tests that seed many rows in batches). */
export function timeRowKey(run: Pick<IndexedRun, 'runId' | 'firstSeenAt'>): Key {
  const hash = createHash('sha256').update(run.runId).digest('hex').slice(0, 16);
  return {
    partitionKey: `t-${monthOf(run.firstSeenAt)}`,
    rowKey: `${invertedTime(run.firstSeenAt)}-${hash}`,
  };
}

function activeRowKey(runId: string): Key {
  return { partitionKey: ACTIVE, rowKey: escapeTableKey(runId) };
}

/** The entity stored for a run (exported for tests that seed many rows in batches). */
export function indexEntity(run: IndexedRun, key: Key = timeRowKey(run)): Key & IndexColumns {
  const defined = Object.fromEntries(Object.entries(run).filter(([, v]) => v !== undefined));
  return {
    ...key,
    ...(defined as unknown as IndexedRun),
    galleryName: run.gallery.toLowerCase(),
    imageName: run.image.toLowerCase(),
  };
}

function fromEntity(entity: TableEntityResult<Record<string, unknown>>): IndexedRun {
  const optional = (name: string): string | undefined => {
    const value = entity[name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const text = (name: string): string => optional(name) ?? '';
  return {
    runId: text('runId'),
    versionId: text('versionId'),
    galleryKey: text('galleryKey'),
    gallery: text('gallery'),
    image: text('image'),
    version: text('version'),
    attempt: Number(entity.attempt),
    state: parseRunState(entity.state),
    verdict: optional('verdict'),
    phase: optional('phase'),
    stateReason: optional('stateReason'),
    firstSeenAt: text('firstSeenAt'),
    updatedAt: text('updatedAt'),
  };
}

function encodeToken(token: Token): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeToken(text: string): Token {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Token>;
    if (typeof token.m === 'string' && /^\d{4}-\d\d$/.test(token.m)) {
      if (token.t === undefined || typeof token.t === 'string') return { m: token.m, t: token.t };
    }
  } catch {
    // fall through
  }
  throw new RunIndexTokenError();
}

export class RunIndex {
  /** The oldest month this process has confirmed in the meta row (a cache of stored state). */
  private firstMonth: string | undefined;

  private readonly store: TableStore<Record<string, unknown>>;

  constructor(private readonly table: TableClient) {
    this.store = new TableStore(table);
  }

  ensureTable(): Promise<void> {
    return createTableOnce(this.table);
  }

  /** Brings the run's index rows up to date with the run row (idempotent; safe to repeat). */
  async record(run: ValidationRun): Promise<void> {
    await this.ensureTable();
    const entry = indexedRun(run);
    await this.ensureFirstMonth(monthOf(entry.firstSeenAt));
    // The month row decides: a late writer with an older row must not revive the active row.
    const newest = await this.putNewer(timeRowKey(entry), entry);
    const active = activeRowKey(entry.runId);
    if (isInFlight(newest)) await this.putNewer(active, newest);
    else await this.deleteUnlessNewer(active, newest);
  }

  /** One page of runs, newest first; filters run in the Table service inside each month partition. */
  async list(query: RunIndexQuery, now: Date, maxQueries = 10): Promise<RunIndexPage> {
    await this.ensureTable();
    const oldest = await this.readFirstMonth();
    if (oldest === undefined) return { runs: [] };
    const token = query.continuationToken === undefined ? undefined : decodeToken(query.continuationToken);
    const sinceMonth = query.since === undefined ? oldest : monthOf(query.since.toISOString());
    const lowest = sinceMonth > oldest ? sinceMonth : oldest;
    const runs: IndexedRun[] = [];
    let month = token?.m ?? monthOf(now.toISOString());
    let tableToken = token?.t;
    for (let queries = 0; month >= lowest && queries < maxQueries; queries++) {
      const pages = this.table
        .listEntities<Record<string, unknown>>({ queryOptions: { filter: this.filter(month, query) } })
        .byPage({ maxPageSize: query.limit - runs.length, continuationToken: tableToken });
      const next = await pages.next();
      const page = next.done === true ? undefined : next.value;
      runs.push(...(page ?? []).map(fromEntity));
      tableToken = page?.continuationToken;
      if (tableToken === undefined) month = previousMonth(month);
      if (runs.length >= query.limit) break;
    }
    const more = tableToken !== undefined || month >= lowest;
    return { runs, ...(more ? { continuationToken: encodeToken({ m: month, t: tableToken }) } : {}) };
  }

  /** Every run the index holds as in flight (readers re-check each against its run row). */
  async listActive(): Promise<IndexedRun[]> {
    await this.ensureTable();
    const runs: IndexedRun[] = [];
    const filter = odata`PartitionKey eq ${ACTIVE}`;
    for await (const entity of this.table.listEntities<Record<string, unknown>>({
      queryOptions: { filter },
    })) {
      runs.push(fromEntity(entity));
    }
    return runs;
  }

  private filter(month: string, query: RunIndexQuery): string {
    const parts = [odata`PartitionKey eq ${`t-${month}`}`];
    if (query.since !== undefined) {
      // Newest first: rows seen at or after `since` have an inverted time at or below its own.
      parts.push(odata`RowKey le ${`${invertedTime(query.since.toISOString())}-~`}`);
    }
    if (query.state !== undefined) parts.push(odata`state eq ${query.state}`);
    if (query.verdict !== undefined) parts.push(odata`verdict eq ${query.verdict}`);
    if (query.image !== undefined) parts.push(odata`imageName eq ${query.image.toLowerCase()}`);
    if (query.gallery !== undefined) {
      const gallery = query.gallery.toLowerCase();
      parts.push(
        gallery.startsWith('/') ? odata`galleryKey eq ${gallery}` : odata`galleryName eq ${gallery}`,
      );
    }
    return parts.join(' and ');
  }

  /**
   * Insert-if-absent, else If-Match replace unless the stored projection is newer or the same
   * (TableStore.mutate, bounded). Returns the projection that stands.
   */
  private async putNewer(key: Key, entry: IndexedRun): Promise<IndexedRun> {
    const entity: TableEntity<Record<string, unknown>> = { ...indexEntity(entry, key) };
    let standing: IndexedRun = entry;
    await this.store.mutate(key.partitionKey, key.rowKey, (stored) => {
      if (stored === undefined) return entity;
      const current = fromEntity(stored);
      standing = current.updatedAt > entry.updatedAt ? current : entry;
      return current.updatedAt > entry.updatedAt || sameProjection(current, entry) ? undefined : entity;
    });
    return standing;
  }

  private async deleteUnlessNewer(key: Key, entry: IndexedRun): Promise<void> {
    for (let tries = 1; ; tries++) {
      const stored = await this.store.get(key.partitionKey, key.rowKey);
      if (stored === undefined || String(stored.updatedAt) > entry.updatedAt) return;
      try {
        await this.store.deleteIfMatch(key.partitionKey, key.rowKey, stored.etag);
        return;
      } catch (error) {
        if (!(error instanceof RowChangedError) || tries >= MAX_TRIES) throw error;
      }
    }
  }

  private async readFirstMonth(): Promise<string | undefined> {
    const month = (await this.store.get(META, FIRST_MONTH))?.month;
    return typeof month === 'string' ? month : undefined;
  }

  /** Keeps meta/first-month at or below `month` (insert-if-absent, If-Match to lower it). */
  private async ensureFirstMonth(month: string): Promise<void> {
    if (this.firstMonth !== undefined && this.firstMonth <= month) return;
    const result = await this.store.mutate(META, FIRST_MONTH, (stored) =>
      stored !== undefined && String(stored.month) <= month
        ? undefined
        : { partitionKey: META, rowKey: FIRST_MONTH, month },
    );
    const stored = (result.row as { month?: unknown } | undefined)?.month;
    this.firstMonth = typeof stored === 'string' ? stored : month;
  }
}
