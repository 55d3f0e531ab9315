import type { ComputeManagementClient } from '@azure/arm-compute';
import { galleryId } from '../arm/resource-id';
import type { Config } from '../config';
import { RUN_QUEUE_NAME } from '../ledger/run-queue';
import { redact } from '../logging/redact';
import { excerpt } from '../verdict/excerpt';
import type { OperatorDeps } from './operator-deps';
import { POISON_QUEUE_NAME, queueDepth } from './poison-queue';
import { listTimerRuns, type TimerRun } from './timer-runs';

/** A timer function as registered (name and NCRONTAB schedule). */
export interface TimerInfo {
  readonly name: string;
  readonly schedule: string;
}

export interface HealthDeps extends OperatorDeps {
  /** ARM client for a gallery's subscription (the same clients verdict actions use). */
  readonly galleryCompute: (subscriptionId: string) => ComputeManagementClient;
  readonly timers: readonly TimerInfo[];
}

export interface Reachability {
  readonly reachable: boolean;
  readonly ms: number;
  readonly error?: string;
}

export interface HealthReport {
  /** `ok`, or `degraded` with the problems that made it so. */
  readonly status: 'ok' | 'degraded';
  readonly problems: readonly string[];
  readonly checkedAt: string;
  readonly config: ConfigSummary;
  readonly scopes: readonly string[];
  readonly queues: readonly { readonly name: string; readonly depth: number }[];
  readonly timers: readonly (TimerInfo & Partial<Omit<TimerRun, 'name'>>)[];
  readonly storage: Reachability;
  readonly arm: {
    readonly endpoint: string;
    readonly galleries: readonly (Reachability & { readonly gallery: string })[];
  };
}

/** The configuration in force, without a secret: only whether each secret is set. */
export interface ConfigSummary {
  readonly storage: string;
  readonly armEndpoint: string;
  readonly defaultMode: string;
  readonly logLevel: string;
  readonly logFormat: string;
  readonly auditRetentionDays: number;
  readonly validation: {
    readonly enabled: boolean;
    readonly subscriptionId?: string;
    readonly resourceGroup: string;
    readonly regions: readonly string[];
    readonly maxVmsPerRegion: number;
    readonly maxVmsPerSubscription: number;
    readonly bootTimeoutSeconds: number;
    readonly replicationTimeoutSeconds: number;
    readonly checkScripts: readonly string[];
  };
  readonly notifications: {
    readonly teamsDefaultChannel: boolean;
    readonly teamsChannels: readonly string[];
    readonly pagerduty: boolean;
    readonly pagerdutySeverity: string;
    readonly oncallWebhook: boolean;
  };
}

const ARM_TIMEOUT_MS = 5000;

export function configSummary(config: Config): ConfigSummary {
  const v = config.validation;
  const n = config.notify;
  return {
    storage:
      config.storage.connectionString !== undefined
        ? 'connection string (AzureWebJobsStorage)'
        : `identity-based, account ${config.storage.accountName ?? '?'}`,
    armEndpoint: config.arm.endpoint,
    defaultMode: config.remediation.defaultMode,
    logLevel: config.ingest.logLevel,
    logFormat: config.ingest.logFormat,
    auditRetentionDays: config.ingest.auditRetentionDays,
    validation: {
      enabled: v.subscriptionId !== undefined,
      ...(v.subscriptionId === undefined ? {} : { subscriptionId: v.subscriptionId }),
      resourceGroup: v.resourceGroup,
      regions: Object.keys(v.subnets).sort(),
      maxVmsPerRegion: v.maxVmsPerRegion,
      maxVmsPerSubscription: v.maxVmsPerSubscription,
      bootTimeoutSeconds: v.bootTimeoutSeconds,
      replicationTimeoutSeconds: v.replicationTimeoutSeconds,
      checkScripts: Object.keys(v.checkScripts).sort(),
    },
    notifications: {
      teamsDefaultChannel: n.teamsDefaultWebhookUrl !== undefined,
      teamsChannels: Object.keys(n.teamsWebhooks).sort(),
      pagerduty: n.pagerdutyRoutingKey !== undefined,
      pagerdutySeverity: n.pagerdutySeverity,
      oncallWebhook: n.oncallWebhookUrl !== undefined,
    },
  };
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return excerpt(String(redact(text)), 300);
}

async function timed<T>(probe: () => Promise<T>): Promise<{ value?: T; reach: Reachability }> {
  const started = Date.now();
  try {
    const value = await probe();
    return { value, reach: { reachable: true, ms: Date.now() - started } };
  } catch (error) {
    return { reach: { reachable: false, ms: Date.now() - started, error: describeError(error) } };
  }
}

/**
 * `gg health`: configuration (no secrets), scopes, run and poison queue depth, each timer's last run,
 * and whether storage and every gallery in scope answer. Any problem makes the status `degraded`.
 */
export async function checkHealth(deps: HealthDeps): Promise<HealthReport> {
  const problems: string[] = [];
  const storage = await timed(() => listTimerRuns(deps));
  if (!storage.reach.reachable) problems.push(`storage unreachable: ${storage.reach.error ?? ''}`);
  const queues: { name: string; depth: number }[] = [];
  for (const name of [RUN_QUEUE_NAME, POISON_QUEUE_NAME]) {
    const depth = await timed(() => queueDepth(deps.storage.queue(name)));
    queues.push({ name, depth: depth.value ?? -1 });
    if (!depth.reach.reachable) problems.push(`queue ${name} unreachable: ${depth.reach.error ?? ''}`);
  }
  const poisoned = queues.find((q) => q.name === POISON_QUEUE_NAME)?.depth ?? 0;
  if (poisoned > 0) problems.push(`${poisoned} message(s) in ${POISON_QUEUE_NAME} (gg poison list)`);
  const lastRuns = new Map((storage.value ?? []).map((t) => [t.name, t]));
  const timers = deps.timers.map((timer) => {
    const { name: _name, ...last } = lastRuns.get(timer.name) ?? { name: timer.name };
    if (last.lastOutcome === 'failed') problems.push(`timer ${timer.name} failed: ${last.lastError ?? ''}`);
    return { ...timer, ...last };
  });
  const galleries = await Promise.all(
    deps.config.ingest.galleryScopes.map(async (scope) => {
      const probe = await timed(() =>
        deps.galleryCompute(scope.subscriptionId).galleries.get(scope.resourceGroup, scope.gallery, {
          abortSignal: AbortSignal.timeout(ARM_TIMEOUT_MS),
        }),
      );
      if (!probe.reach.reachable)
        problems.push(`gallery ${scope.gallery} unreachable: ${probe.reach.error ?? ''}`);
      return { gallery: scope.gallery, ...probe.reach };
    }),
  );
  return {
    status: problems.length === 0 ? 'ok' : 'degraded',
    problems,
    checkedAt: deps.clock().toISOString(),
    config: configSummary(deps.config),
    scopes: deps.config.ingest.galleryScopes.map(galleryId),
    queues,
    timers,
    storage: storage.reach,
    arm: { endpoint: deps.config.arm.endpoint, galleries },
  };
}
