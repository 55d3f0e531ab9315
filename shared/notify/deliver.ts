import type { TableClient } from '@azure/data-tables';
import { TransientActionError } from '../azure/action-errors';
import type { Logger } from '../logging/logger';
import { ggMetrics } from '../telemetry/metrics';
import { claimDelivery, saveDelivery, type DeliveryKey, type DeliveryRow } from './delivery-ledger';
import { postWithRetry, type HttpPost, type RetryOptions } from './http-post';

export interface DeliveryDeps {
  readonly table: TableClient;
  readonly post: HttpPost;
  readonly clock: () => Date;
  readonly retry: RetryOptions;
  /** Tries across invocations before the delivery is recorded as failed for good. */
  readonly maxAttempts: number;
  /** How long a claim keeps other instances off a delivery in flight. */
  readonly leaseMs: number;
}

/** A resolved destination: `name` is safe to record, `url` is a secret. */
export interface Destination {
  readonly name: string;
  readonly url: string;
}

export interface DeliveryOutcome {
  readonly channel: string;
  readonly kind: string;
  readonly destination: string;
  readonly status: 'delivered' | 'already-delivered' | 'failed' | 'already-failed' | 'not-configured';
  readonly attempts: number;
}

/**
 * Sends one card or page at most once per DeliveryKey: claim the row, post with retries, record the
 * result. Throws TransientActionError when the caller should come back later (still retrying, or
 * another instance holds the claim); a permanent failure is recorded and returned, not thrown.
 */
export async function deliverOnce(
  deps: DeliveryDeps,
  key: DeliveryKey,
  versionId: string,
  destination: Destination,
  body: unknown,
  logger: Logger,
): Promise<DeliveryOutcome> {
  const log = logger.child({ channel: key.channel, kind: key.kind, destination: destination.name });
  const base = { channel: key.channel, kind: key.kind, destination: destination.name };
  const claim = await claimDelivery(
    deps.table,
    key,
    { versionId, runId: key.runId, kind: key.kind, channel: key.channel, destination: destination.name },
    deps.clock(),
    deps.leaseMs,
  );
  if (claim.kind === 'done') {
    log.info('notification already handled', { status: claim.row.status });
    const status = claim.row.status === 'Delivered' ? 'already-delivered' : 'already-failed';
    return { ...base, status, attempts: claim.row.attempts };
  }
  if (claim.kind === 'busy') {
    const wait = Date.parse(claim.row.leaseUntil) - deps.clock().getTime();
    throw new TransientActionError(`${key.channel} ${key.kind} is being delivered by another instance`, {
      retryAfterMs: Math.max(wait, 0),
    });
  }
  const outcome = await postWithRetry(deps.post, destination.url, body, deps.retry);
  const now = deps.clock();
  const attempts = claim.row.attempts + outcome.tries;
  const update = (patch: Partial<DeliveryRow>): Promise<void> =>
    saveDelivery(
      deps.table,
      key,
      { ...claim.row, attempts, updatedAt: now.toISOString(), ...patch },
      claim.etag,
    );
  if (outcome.kind === 'delivered') {
    await update({
      status: 'Delivered',
      httpStatus: outcome.status,
      deliveredAt: now.toISOString(),
      lastError: undefined,
    });
    log.info('notification delivered', { attempts, httpStatus: outcome.status });
    return { ...base, status: 'delivered', attempts };
  }
  if (outcome.kind === 'permanent' || attempts >= deps.maxAttempts) {
    await update({ status: 'Failed', httpStatus: outcome.status, lastError: outcome.error });
    ggMetrics.notificationFailed(key.kind, key.channel);
    log.error('notification failed permanently', {
      attempts,
      httpStatus: outcome.status,
      error: outcome.error,
    });
    return { ...base, status: 'failed', attempts };
  }
  // Give the claim back so the retry (this or another instance) can take it at once.
  await update({ leaseUntil: now.toISOString(), httpStatus: outcome.status, lastError: outcome.error });
  log.warn('notification not delivered yet; will retry', { attempts, error: outcome.error });
  throw new TransientActionError(`${key.channel} ${key.kind} not delivered yet (${outcome.error})`, {
    retryAfterMs: outcome.retryAfterMs,
  });
}
