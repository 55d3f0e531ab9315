import type { ComputeManagementClient } from '@azure/arm-compute';
import type { TableClient } from '@azure/data-tables';
import type { GalleryRef } from '../arm/resource-id';
import { ensureTables } from '../azure/ensure-table';
import type { Config } from '../config';
import { NOTIFICATION_TABLE } from '../notify/delivery-ledger';
import type { DeliveryDeps } from '../notify/deliver';
import { createFetchPost, type HttpPost } from '../notify/http-post';
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
    post: overrides.post ?? createFetchPost(),
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
  return {
    table: deps.notificationTable,
    post: deps.post,
    clock: deps.clock,
    retry: {
      tries: DELIVERY_TRIES_PER_CALL,
      baseMs: deps.config.notify.retryBaseMs,
      maxDelayMs: 30_000,
      sleep: deps.sleep,
    },
    // GG_ACTION_MAX_ATTEMPTS counts invocations; each invocation tries a webhook a few times.
    maxAttempts: DELIVERY_TRIES_PER_CALL * deps.config.remediation.maxAttempts,
    leaseMs: 60_000,
  };
}
