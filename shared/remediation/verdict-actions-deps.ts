import type { ComputeManagementClient } from '@azure/arm-compute';
import type { TableClient } from '@azure/data-tables';
import type { GalleryRef } from '../arm/resource-id';
import { ensureTables } from '../azure/ensure-table';
import type { Config } from '../config';
import { NOTIFICATION_TABLE } from '../notify/delivery-ledger';
import type { DeliveryDeps } from '../notify/deliver';
import { createFetchPost, type HttpPost, type RetryOptions } from '../notify/http-post';
import type { StorageClients } from '../azure/storage-clients';
import type { Clock } from '../runtime/clock';
import { REMEDIATION_TABLE } from './remediation-ledger';
import { loadVerdictPlan, verdictPlanData, type VerdictPlan } from './verdict-plan';

export interface VerdictActionsConfig {
  /** Galleries gallery-guard may change; anything else is never touched. */
  readonly scopes: readonly GalleryRef[];
  readonly pollIntervalMs: number;
  readonly remediation: Config['remediation'];
  readonly notify: Config['notify'];
  /** Role propagation window after a deployment (absent: authorization failures are permanent). */
  readonly authorization?: Config['authorization'];
}

/** What verdict actions need, built once by the composition root; tests pass their own. */
export interface VerdictActionsDeps {
  readonly config: VerdictActionsConfig;
  /** Which remediation actions each verdict calls for per mode, loaded and validated at start-up. */
  readonly plan: VerdictPlan;
  /** ARM compute client for a subscription (real Azure or the ARM simulator, same code). */
  readonly compute: (subscriptionId: string) => ComputeManagementClient;
  readonly remediationTable: TableClient;
  readonly notificationTable: TableClient;
  readonly post: HttpPost;
  readonly clock: () => Date;
  /** Backoff between webhook retries inside one invocation (never used to wait on Azure). */
  readonly sleep: (ms: number) => Promise<void>;
}

export function verdictActionsConfig(config: Config): VerdictActionsConfig {
  return {
    scopes: config.ingest.galleryScopes,
    pollIntervalMs: config.arm.pollIntervalMs,
    remediation: config.remediation,
    notify: config.notify,
    authorization: config.authorization,
  };
}

export interface VerdictActionsOverrides {
  readonly post?: HttpPost;
  readonly sleep?: (ms: number) => Promise<void>;
  /** A plan of the caller's (tests load one from their own registry). */
  readonly plan?: VerdictPlan;
}

/**
 * Built once per worker by the composition root: the verdict plan is loaded here, so a bad action
 * parameter stops start-up with an error naming its setting instead of failing on the first verdict.
 */
export function createVerdictActionsDeps(
  services: { readonly config: Config; readonly clock: Clock; readonly storage: StorageClients },
  compute: (subscriptionId: string) => ComputeManagementClient,
  overrides: VerdictActionsOverrides = {},
): VerdictActionsDeps {
  return {
    config: verdictActionsConfig(services.config),
    plan: overrides.plan ?? loadVerdictPlan(verdictPlanData(services.config.remediation)),
    compute,
    remediationTable: services.storage.table(REMEDIATION_TABLE),
    notificationTable: services.storage.table(NOTIFICATION_TABLE),
    post: overrides.post ?? createFetchPost(services.config.notify.timeoutMs),
    clock: services.clock,
    sleep: overrides.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  };
}

/** Creates the two tables once per client (idempotent; a failure is retried on the next call). */
export function ensureVerdictActionTables(deps: VerdictActionsDeps): Promise<void> {
  return ensureTables(deps.remediationTable, deps.notificationTable);
}

/** Webhook tries within one invocation before the work is handed back for a later retry. */
export const DELIVERY_TRIES_PER_CALL = 3;

export function deliveryDeps(deps: VerdictActionsDeps): DeliveryDeps {
  const { retryBaseMs, timeoutMs } = deps.config.notify;
  const retry = {
    tries: DELIVERY_TRIES_PER_CALL,
    baseMs: retryBaseMs,
    // A longer wait (Retry-After) is handed back to the caller rather than slept through here.
    maxDelayMs: Math.min(30_000, timeoutMs),
    sleep: deps.sleep,
  };
  return {
    table: deps.notificationTable,
    post: deps.post,
    clock: deps.clock,
    retry,
    // GG_ACTION_MAX_ATTEMPTS counts invocations; each invocation tries a webhook a few times.
    maxAttempts: DELIVERY_TRIES_PER_CALL * deps.config.remediation.maxAttempts,
    leaseMs: deliveryLeaseMs(retry, timeoutMs),
  };
}

/**
 * How long a delivery claim keeps other instances off: the longest one invocation's tries can take
 * (every post timing out, every wait at its cap), plus a second for the row write. A card whose
 * instance died holding the claim is then late by at most this, and a live claim is never taken.
 */
export function deliveryLeaseMs(
  retry: Pick<RetryOptions, 'tries' | 'maxDelayMs'>,
  timeoutMs: number,
): number {
  return retry.tries * timeoutMs + (retry.tries - 1) * retry.maxDelayMs + 1000;
}
