import { imageVersionId, parseImageVersionId } from '../arm/resource-id';
import type { Logger } from '../logging/logger';
import { RunState } from '../ledger/run-state';
import type { NewRun } from '../ledger/run-ledger';
import type { ValidationRun } from '../ledger/validation-run';
import type { IngestServices } from './ingest-services';
import { isInGalleryScope } from '../arm/gallery-scope';
import { IngestDecision, type IngestOutcome } from './ingest-decision';
import { SignalKind, type VersionSignal } from './version-signal';

export type { IngestServices } from './ingest-services';

/**
 * The one entry point for "an image version was written/deleted", whatever reported it (Event Grid,
 * CloudEvents, Activity Log alert, sweep, operator). Idempotent: any number of deliveries of the same
 * write leave exactly one run row for the version, and the run key goes on the run queue once the row
 * exists. Never acts outside the configured galleries.
 */
export async function ingestVersionSignal(
  services: IngestServices,
  signal: VersionSignal,
): Promise<IngestOutcome> {
  const versionId = imageVersionId(signal.version);
  const log = services.logger.child({ eventId: signal.eventId, versionId, source: signal.source });
  if (!isInGalleryScope(services.config.ingest.galleryScopes, signal.version)) {
    log.info('Ignored: gallery is not in GG_GALLERY_SCOPES', { decision: IngestDecision.OutOfScope });
    return {
      eventId: signal.eventId,
      versionId,
      decision: IngestDecision.OutOfScope,
      reason: 'gallery not in GG_GALLERY_SCOPES',
    };
  }
  return signal.kind === SignalKind.Write
    ? ingestWrite(services, signal, versionId, log)
    : ingestDelete(services, signal, versionId, log);
}

/** The first attempt's row for the version a signal names, carrying the signal's correlation ids. */
function firstAttempt(signal: VersionSignal, versionId: string): NewRun {
  return {
    version: signal.version,
    versionId,
    attempt: 1,
    source: signal.source,
    eventId: signal.eventId,
    correlationId: signal.correlationId,
    eventTime: signal.eventTime,
  };
}

async function ingestWrite(
  services: IngestServices,
  signal: VersionSignal,
  versionId: string,
  log: Logger,
): Promise<IngestOutcome> {
  const { ledger } = services;
  const latest = await ledger.latestAttempt(signal.version);
  const { run, created } =
    latest === undefined
      ? await ledger.createAttempt(firstAttempt(signal, versionId))
      : { run: latest, created: false };
  const withSource = created ? run : await addSource(services, run, signal.source, versionId);
  const enqueued = await enqueueIfNeeded(services, withSource, created);
  const decision = created ? IngestDecision.RunCreated : IngestDecision.Duplicate;
  log.info(created ? 'Run created' : 'Duplicate: run already exists', {
    decision,
    runId: enqueued.runId,
    attempt: enqueued.attempt,
    state: enqueued.state,
  });
  return { eventId: signal.eventId, versionId, decision, run: enqueued };
}

/** True if every name in the id is lower-case, i.e. the id came from a lower-cased source. */
function isLowerCasedSpelling(versionId: string): boolean {
  return versionId === imageVersionId(parseImageVersionId(versionId.toLowerCase()));
}

/**
 * Records that another source saw the same write (one merge per new source, none for repeats). If the
 * row only knows the lower-cased id (Activity Log alert targets often are), take ARM's spelling.
 */
async function addSource(
  services: IngestServices,
  run: ValidationRun,
  source: string,
  versionId: string,
): Promise<ValidationRun> {
  const updated = await services.ledger.mutateRun(run.key, (current) => {
    const newSource = !current.sources.includes(source);
    const betterSpelling = versionId !== current.versionId && isLowerCasedSpelling(current.versionId);
    if (!newSource && !betterSpelling) return undefined;
    return {
      ...(newSource ? { sources: [...current.sources, source] } : {}),
      ...(betterSpelling ? { versionId } : {}),
    };
  });
  return updated ?? run;
}

/** How long a Queued run may lack `enqueuedAt` before a later delivery re-sends its key. */
export const ENQUEUE_GRACE_MS = 60_000;

/**
 * The delivery that created the run enqueues it. A Queued run whose key never reached the queue (crash
 * or storage error after the insert) is enqueued by a later delivery once the grace period has passed
 * (so concurrent duplicates of the first delivery do not all enqueue); the reconciler covers the case
 * where no further delivery comes.
 */
async function enqueueIfNeeded(
  services: IngestServices,
  run: ValidationRun,
  created: boolean,
): Promise<ValidationRun> {
  if (run.state !== RunState.Queued || run.enqueuedAt !== undefined) return run;
  const now = services.clock();
  if (!created && now.getTime() - Date.parse(run.firstSeenAt) < ENQUEUE_GRACE_MS) return run;
  await services.runQueue.enqueue(run.key);
  const enqueuedAt = now.toISOString();
  const updated = await services.ledger.mutateRun(run.key, (current) =>
    current.enqueuedAt === undefined ? { enqueuedAt } : undefined,
  );
  return updated ?? run;
}

async function ingestDelete(
  services: IngestServices,
  signal: VersionSignal,
  versionId: string,
  log: Logger,
): Promise<IngestOutcome> {
  const { ledger } = services;
  const latest = await ledger.latestAttempt(signal.version);
  if (latest === undefined) {
    // A tombstone, so a write event for the same version that arrives late (delivery order is not
    // guaranteed) finds a row and starts nothing.
    const { run } = await ledger.createAttempt({
      ...firstAttempt(signal, versionId),
      state: RunState.Cancelled,
    });
    log.info('Version deleted before any run existed; recorded as cancelled', { runId: run.runId });
    return { eventId: signal.eventId, versionId, decision: IngestDecision.NothingToCancel, run };
  }
  const run = await ledger.mutateRun(latest.key, (current) =>
    current.state === RunState.Queued
      ? { state: RunState.Cancelled, stateReason: `image version deleted (event ${signal.eventId})` }
      : undefined,
  );
  const cancelled = run?.state === RunState.Cancelled && latest.state === RunState.Queued;
  const decision = cancelled ? IngestDecision.RunCancelled : IngestDecision.NothingToCancel;
  const reason = cancelled ? undefined : `run is ${run?.state ?? 'gone'}`;
  log.info(
    cancelled ? 'Pending run cancelled: version deleted' : 'Version deleted; no pending run to cancel',
    {
      decision,
      runId: latest.runId,
      ...(reason === undefined ? {} : { reason }),
    },
  );
  return { eventId: signal.eventId, versionId, decision, reason, run };
}
