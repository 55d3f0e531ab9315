import { parseImageVersionId, ResourceIdError } from '../arm/resource-id';
import { isInGalleryScope } from '../arm/gallery-scope';
import { SignalSource } from './version-signal';
import { isTerminalRunState } from '../ledger/run-state';
import type { Logger } from '../logging/logger';
import type { IngestServices } from './ingest-services';
import { recordRevalidationRequest, type OperatorRequest } from '../remediation/release-version';
import { ensureVerdictActionTables, type VerdictActionsDeps } from '../remediation/verdict-actions-deps';

export interface RevalidateOutcome {
  readonly status: 'queued' | 'already-running' | 'out-of-scope' | 'invalid' | 'version-not-found';
  readonly reason: string;
  readonly runId?: string;
  readonly attempt?: number;
}

/**
 * A person asks for a fresh validation run of the instance ARM shows: a new attempt row (after the latest one, so a retried
 * request creates exactly one) whose key goes on the run queue. A run still in flight is not doubled.
 */
export async function revalidateVersion(
  services: Pick<IngestServices, 'ledger' | 'runQueue' | 'config' | 'lookupVersion'>,
  deps: VerdictActionsDeps,
  request: OperatorRequest,
  logger: Logger,
): Promise<RevalidateOutcome> {
  let version;
  try {
    version = parseImageVersionId(request.versionId);
  } catch (error) {
    if (error instanceof ResourceIdError) return { status: 'invalid', reason: error.message };
    throw error;
  }
  if (!isInGalleryScope(services.config.ingest.galleryScopes, version)) {
    return { status: 'out-of-scope', reason: 'the version is outside the configured galleries' };
  }
  const log = logger.child({ versionId: request.versionId, requestId: request.requestId });
  // Like every signal, the request only points at a version: the run is for the instance ARM shows.
  const arm = await services.lookupVersion(version);
  if (!arm.present) return { status: 'version-not-found', reason: arm.reason };
  const latest = await services.ledger.latestAttempt(version);
  if (latest !== undefined && !isTerminalRunState(latest.state)) {
    log.info('re-validation requested while a run is in flight', { runId: latest.runId });
    return {
      status: 'already-running',
      reason: `run ${latest.runId} is ${latest.state}`,
      runId: latest.runId,
      attempt: latest.attempt,
    };
  }
  const { run, created } = await services.ledger.createNextAttempt(
    {
      version,
      versionId: arm.versionId,
      instanceId: arm.instanceId,
      source: SignalSource.Manual,
      eventId: request.requestId,
    },
    latest?.attempt ?? 0,
  );
  if (created || run.enqueuedAt === undefined) {
    await services.runQueue.enqueue(run.key);
    await services.ledger.mutateRun(run.key, (current) =>
      current.enqueuedAt === undefined ? { enqueuedAt: deps.clock().toISOString() } : undefined,
    );
  }
  await ensureVerdictActionTables(deps);
  await recordRevalidationRequest(deps, request, `queued run ${run.runId}`, version.key);
  log.info('re-validation queued', {
    runId: run.runId,
    attempt: run.attempt,
    requestedBy: request.requestedBy,
  });
  return { status: 'queued', reason: `run ${run.runId} queued`, runId: run.runId, attempt: run.attempt };
}
