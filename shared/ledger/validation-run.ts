import type { TableEntityResult } from '@azure/data-tables';
import { runIdOf, type RunKey } from './run-key';
import { parseRunState, type RunState } from './run-state';

/** Property values a row may carry besides the known columns (the engine adds its own). */
export type ExtraValue = string | number | boolean;

/** One attempt at validating one image version, as stored in the runs table. */
export interface ValidationRun {
  readonly key: RunKey;
  /** `<partitionKey>/<rowKey>`; see runIdOf. */
  readonly runId: string;
  /** ARM id of the version as first reported (ARM spelling). */
  readonly versionId: string;
  /** Lower-cased version id, for comparison. */
  readonly versionKey: string;
  readonly galleryKey: string;
  readonly attempt: number;
  readonly state: RunState;
  readonly stateReason?: string;
  /** Every signal source that reported this version for this attempt (eventgrid, activity-log, ...). */
  readonly sources: readonly string[];
  readonly firstSeenAt: string;
  readonly updatedAt: string;
  /** When the run next needs attention; the reconciler re-drives rows whose time has passed. */
  readonly nextActionAt: string;
  readonly firstEventId: string;
  /** ARM correlation id of the write (the same across Event Grid and Activity Log). */
  readonly correlationId?: string;
  readonly eventTime?: string;
  /**
   * Which instance of the version this run validates (ARM's publishedDate; see
   * shared/azure/version-instance). Unset while ARM has not shown the version yet.
   */
  readonly instanceId?: string;
  /** When the run key was last put on the run queue (unset: ingest crashed or failed before enqueueing). */
  readonly enqueuedAt?: string;
  /** Columns this module does not know about (written by later stages), preserved on update. */
  readonly extra: Readonly<Record<string, ExtraValue>>;
  readonly etag: string;
}

/** Known columns (without keys/etag), as written to the table. */
export interface RunColumns {
  versionId: string;
  versionKey: string;
  galleryKey: string;
  attempt: number;
  state: RunState;
  stateReason?: string;
  sources: string;
  firstSeenAt: string;
  updatedAt: string;
  nextActionAt: string;
  firstEventId: string;
  correlationId?: string;
  eventTime?: string;
  instanceId?: string;
  enqueuedAt?: string;
}

const KNOWN = new Set([
  'partitionKey',
  'rowKey',
  'etag',
  'timestamp',
  'versionId',
  'versionKey',
  'galleryKey',
  'attempt',
  'state',
  'stateReason',
  'sources',
  'firstSeenAt',
  'updatedAt',
  'nextActionAt',
  'firstEventId',
  'correlationId',
  'eventTime',
  'instanceId',
  'enqueuedAt',
]);

function text(entity: Record<string, unknown>, name: string): string {
  const value = entity[name];
  if (typeof value !== 'string') throw new Error(`Run row is missing column ${name}`);
  return value;
}

function optionalText(entity: Record<string, unknown>, name: string): string | undefined {
  const value = entity[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export function splitSources(sources: string): string[] {
  return sources.split(',').filter((s) => s.length > 0);
}

export function runFromEntity(entity: TableEntityResult<Record<string, unknown>>): ValidationRun {
  const key = { partitionKey: text(entity, 'partitionKey'), rowKey: text(entity, 'rowKey') };
  const extra: Record<string, ExtraValue> = {};
  for (const [name, value] of Object.entries(entity)) {
    if (KNOWN.has(name) || name.startsWith('odata')) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      extra[name] = value;
    }
  }
  return {
    key,
    runId: runIdOf(key),
    versionId: text(entity, 'versionId'),
    versionKey: text(entity, 'versionKey'),
    galleryKey: text(entity, 'galleryKey'),
    attempt: Number(entity.attempt),
    state: parseRunState(entity.state),
    stateReason: optionalText(entity, 'stateReason'),
    sources: splitSources(text(entity, 'sources')),
    firstSeenAt: text(entity, 'firstSeenAt'),
    updatedAt: text(entity, 'updatedAt'),
    nextActionAt: text(entity, 'nextActionAt'),
    firstEventId: text(entity, 'firstEventId'),
    correlationId: optionalText(entity, 'correlationId'),
    eventTime: optionalText(entity, 'eventTime'),
    instanceId: optionalText(entity, 'instanceId'),
    enqueuedAt: optionalText(entity, 'enqueuedAt'),
    extra,
    etag: entity.etag,
  };
}
