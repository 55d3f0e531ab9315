import { imageVersionId } from '../arm/resource-id';
import type { ArmVersionView } from '../azure/version-instance';
import type { Logger } from '../logging/logger';
import { RunState, isTerminalRunState } from '../ledger/run-state';
import type { NewRun } from '../ledger/run-ledger';
import type { ValidationRun } from '../ledger/validation-run';
import type { IngestServices } from './ingest-services';
import { isInGalleryScope } from '../arm/gallery-scope';
import { IngestDecision, type IngestOutcome } from './ingest-decision';
import { SignalKind, type VersionSignal } from './version-signal';

export type { IngestServices } from './ingest-services';

/**
 * The one entry point for "something happened to an image version", whatever reported it (Event Grid,
 * CloudEvents, Activity Log alert, sweep, operator). The signal is only a pointer: what is decided
 * depends on what ARM shows for the version now, never on what the signal claims.
 * - ARM shows instance P (publishedDate): a run for P exists afterwards (in flight or with a verdict);
 *   a delete signal cancels nothing.
 * - ARM shows nothing and the signal is a write: a run waits for the version (bounded), so an early,
 *   forged or 404-racing write never ends the version's story.
 * - ARM shows nothing and the signal is a delete: the pending run is cancelled (ARM confirmed it).
 * Idempotent: any number of deliveries leave one run per instance. Never acts outside the galleries.
 * `observed` is what the caller already read from ARM (the sweep lists versions), saving a GET.
 */
export async function ingestVersionSignal(
  services: IngestServices,
  signal: VersionSignal,
  observed?: ArmVersionView,
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
  const arm = observed ?? (await services.lookupVersion(signal.version));
  if (arm.present) return ingestPresent(services, signal, arm, log);
  return signal.kind === SignalKind.Write
    ? awaitArm(services, signal, versionId, arm.reason, log)
    : cancelConfirmedDelete(services, signal, versionId, log);
}

/** The row a new attempt starts with, carrying the signal's correlation ids. */
function newRun(signal: VersionSignal, versionId: string, instanceId?: string): Omit<NewRun, 'attempt'> {
  return {
    version: signal.version,
    versionId,
    source: signal.source,
    eventId: signal.eventId,
    correlationId: signal.correlationId,
    eventTime: signal.eventTime,
    ...(instanceId === undefined ? {} : { instanceId }),
  };
}

/** True if `run` already stands for instance `instanceId`: in flight or with a verdict for it. */
function coversInstance(run: ValidationRun, instanceId: string): boolean {
  if (run.state === RunState.Cancelled) return false;
  if (run.instanceId === instanceId) return true;
  // A run still waiting for ARM to show the version adopts the instance ARM shows now.
  return run.instanceId === undefined && !isTerminalRunState(run.state);
}

const MAX_ROUNDS = 5;

/** Finds or creates the run for the instance ARM shows; losing a race re-reads and decides again. */
async function runForInstance(
  services: IngestServices,
  signal: VersionSignal,
  arm: Extract<ArmVersionView, { present: true }>,
): Promise<{ run: ValidationRun; created: boolean }> {
  const { ledger } = services;
  for (let round = 1; ; round++) {
    const latest = await ledger.latestAttempt(signal.version);
    if (latest !== undefined && coversInstance(latest, arm.instanceId)) {
      const adopted =
        latest.instanceId === arm.instanceId
          ? latest
          : await ledger.mutateRun(latest.key, (current) =>
              current.instanceId === undefined
                ? { instanceId: arm.instanceId, versionId: arm.versionId }
                : undefined,
            );
      if (adopted?.instanceId === arm.instanceId) {
        return { run: await addSource(services, adopted, signal.source, arm.versionId), created: false };
      }
    } else {
      const next = await ledger.createNextAttempt(
        newRun(signal, arm.versionId, arm.instanceId),
        latest?.attempt ?? 0,
      );
      if (next.created) return next;
      if (next.run.instanceId === arm.instanceId && next.run.state !== RunState.Cancelled) {
        return { run: await addSource(services, next.run, signal.source, arm.versionId), created: false };
      }
    }
    if (round >= MAX_ROUNDS) {
      throw new Error(`Runs of ${arm.versionId} kept changing: gave up after ${round} rounds`);
    }
  }
}

async function ingestPresent(
  services: IngestServices,
  signal: VersionSignal,
  arm: Extract<ArmVersionView, { present: true }>,
  log: Logger,
): Promise<IngestOutcome> {
  const { run, created } = await runForInstance(services, signal, arm);
  const enqueued = await enqueueIfNeeded(services, run, created);
  const versionId = arm.versionId;
  if (signal.kind === SignalKind.Delete) {
    const reason = `ARM still shows the version (published ${arm.instanceId})${created ? '; a run was created for it' : ''}`;
    log.warn('Delete signal not confirmed by ARM; nothing cancelled', {
      decision: IngestDecision.DeleteNotConfirmed,
      reason,
      runId: enqueued.runId,
    });
    return {
      eventId: signal.eventId,
      versionId,
      decision: IngestDecision.DeleteNotConfirmed,
      reason,
      run: enqueued,
    };
  }
  const decision = created ? IngestDecision.RunCreated : IngestDecision.Duplicate;
  log.info(created ? 'Run created' : 'Duplicate: a run for this instance exists', {
    decision,
    runId: enqueued.runId,
    attempt: enqueued.attempt,
    state: enqueued.state,
    instanceId: arm.instanceId,
    summary: `${signal.version.image} ${signal.version.version}  ${created ? `queued (${signal.source})` : `${signal.source} again: run ${enqueued.attempt} is ${enqueued.state}`}`,
  });
  return { eventId: signal.eventId, versionId, decision, run: enqueued };
}

/**
 * Records that another source saw the same instance (one merge per new source, none for repeats).
 * A run in flight takes ARM's spelling of the id; a finished run keeps the spelling it was decided with.
 */
async function addSource(
  services: IngestServices,
  run: ValidationRun,
  source: string,
  armSpelling?: string,
): Promise<ValidationRun> {
  const updated = await services.ledger.mutateRun(run.key, (current) => {
    const newSource = !current.sources.includes(source);
    const respell =
      armSpelling !== undefined && armSpelling !== current.versionId && !isTerminalRunState(current.state);
    if (!newSource && !respell) return undefined;
    return {
      ...(newSource ? { sources: [...current.sources, source] } : {}),
      ...(respell ? { versionId: armSpelling } : {}),
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

/**
 * A write ARM does not show yet (an early delivery, a 404 racing the write, or a forgery): a run that
 * waits for ARM to show the version, bounded by GG_UNCONFIRMED_WAIT_MINUTES (the engine's
 * ResolveVersion phase), then ends Cancelled. A run already in flight is not doubled.
 */
async function awaitArm(
  services: IngestServices,
  signal: VersionSignal,
  versionId: string,
  armReason: string,
  log: Logger,
): Promise<IngestOutcome> {
  const { ledger } = services;
  const latest = await ledger.latestAttempt(signal.version);
  let run: ValidationRun;
  let created = false;
  if (latest !== undefined && !isTerminalRunState(latest.state)) {
    run = await addSource(services, latest, signal.source);
  } else {
    ({ run, created } = await ledger.createNextAttempt(newRun(signal, versionId), latest?.attempt ?? 0));
  }
  const enqueued = await enqueueIfNeeded(services, run, created);
  const reason = `${armReason}; run ${enqueued.runId} waits for ARM to show the version`;
  log.info('Write signal not yet confirmed by ARM', {
    decision: IngestDecision.AwaitingArm,
    reason,
    runId: enqueued.runId,
  });
  return { eventId: signal.eventId, versionId, decision: IngestDecision.AwaitingArm, reason, run: enqueued };
}

/** ARM confirms the version is gone: a run that has not created anything yet is cancelled. */
async function cancelConfirmedDelete(
  services: IngestServices,
  signal: VersionSignal,
  versionId: string,
  log: Logger,
): Promise<IngestOutcome> {
  const { ledger } = services;
  const latest = await ledger.latestAttempt(signal.version);
  if (latest === undefined) {
    log.info('Version deleted (ARM confirms); no run to cancel', {
      decision: IngestDecision.NothingToCancel,
    });
    return { eventId: signal.eventId, versionId, decision: IngestDecision.NothingToCancel, reason: 'no run' };
  }
  const cancellable = (run: ValidationRun): boolean =>
    run.state === RunState.Queued || (run.state === RunState.Running && run.instanceId === undefined);
  const stateReason = `image version deleted (event ${signal.eventId.slice(0, 200)}, confirmed by ARM)`;
  const run = await ledger.mutateRun(latest.key, (current) =>
    cancellable(current) ? { state: RunState.Cancelled, stateReason } : undefined,
  );
  const cancelled = run?.state === RunState.Cancelled && cancellable(latest);
  const decision = cancelled ? IngestDecision.RunCancelled : IngestDecision.NothingToCancel;
  const reason = cancelled ? undefined : `run is ${run?.state ?? 'gone'}`;
  log.info(
    cancelled
      ? 'Pending run cancelled: ARM confirms the version is gone'
      : 'Version deleted; no pending run to cancel',
    {
      decision,
      runId: latest.runId,
      ...(reason === undefined ? {} : { reason }),
    },
  );
  return { eventId: signal.eventId, versionId, decision, reason, run };
}
