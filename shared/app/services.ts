import { INVENTORY_TABLE, InventoryStore } from '../inventory/inventory-store';
import type { TokenCredential } from '@azure/core-auth';
import { FINDING_TABLE, FindingLedger } from '../audit/finding-ledger';
import type { GalleryAuditDeps } from '../audit/run-audit';
import { ARM_BUDGET_TABLE, TableArmBudget } from '../azure/arm-budget';
import { ArmCallLimiter, DEFAULT_LEASE, DEFAULT_LIMITS } from '../azure/arm-call-limiter';
import { ArmClientFactory, defaultAzureCredential } from '../azure/arm-clients';
import { armVersionLookup, type VersionLookup } from '../azure/version-instance';
import { createStorageClients, type StorageClients } from '../azure/storage-clients';
import type { Config } from '../config';
import { AUDIT_TABLE, AuditLog } from '../ledger/audit-log';
import { RUN_INDEX_TABLE, RunIndex } from '../ledger/run-index';
import { parseRunId } from '../ledger/run-key';
import { RUN_TABLE, RunLedger } from '../ledger/run-ledger';
import { RUN_QUEUE_NAME, RunQueue } from '../ledger/run-queue';
import { consoleSink, createLogger, type LogFormat, type Logger, type LogSink } from '../logging/logger';
import { actOnVerdictOrRollOut } from '../rollout/act-on-verdict';
import { pageStuckRun } from '../remediation/page-stuck-run';
import {
  createVerdictActionsDeps,
  deliveryDeps,
  type VerdictActionsDeps,
} from '../remediation/verdict-actions-deps';
import { revalidateVersion } from '../events/revalidate-version';
import { createSenderVerifier, type SenderVerifier } from '../events/sender-token';
import type { DeliveryDeps } from '../notify/deliver';
import { recordFirstContact } from '../remediation/version-context';
import type { HttpPost } from '../notify/http-post';
import { systemClock, type Clock } from '../runtime/clock';
import { systemRandom, type Random } from '../runtime/random';
import type { EngineDeps } from '../validation/engine/reconcile-run';
import { validationOptions } from '../validation/engine/validation-options';
import { CHECK_TABLE, STEP_TABLE, ValidationRecords } from '../validation/engine/validation-records';
import { serialLogReader } from '../validation/guest/serial-log-reader';
import type { ValidationOptions } from '../validation/run/validation-context';
import { VM_SLOT_TABLE, VmSlots } from '../validation/vm/vm-slots';
import { appInsightsLogSink } from '../telemetry/log-records';
import { installTelemetry, type Telemetry } from '../telemetry/telemetry';

/**
 * Everything a handler needs, built once per worker from Config: the one composition root. Nothing
 * below it reads the environment or constructs credentials or clients of its own.
 */
export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: Random;
  /** The one credential (DefaultAzureCredential unless the caller injected one), created on first use. */
  readonly credential: () => TokenCredential;
  readonly storage: StorageClients;
  readonly ledger: RunLedger;
  /** Index rows next to the ledger: lists of runs and runs in flight, without reading every partition. */
  readonly runIndex: RunIndex;
  readonly runQueue: RunQueue;
  readonly audit: AuditLog;
  /** ARM clients per subscription, all behind `limiter`. */
  readonly arm: ArmClientFactory;
  readonly limiter: ArmCallLimiter;
  /** ARM's word on an image version (through `arm`), which every signal is checked against. */
  readonly lookupVersion: VersionLookup;
  /** Verdict actions (remediation and notification), for the engine and for operator requests. */
  readonly verdictActions: VerdictActionsDeps;
  /** The validation engine, built on first use; throws ConfigError without a validation subscription. */
  readonly engine: () => EngineDeps;
  /** The governance audit's findings table. */
  readonly findings: FindingLedger;
  /** The governance audit (shared/audit): gallery reads through `arm`, findings in `findings`. */
  readonly galleryAudit: GalleryAuditDeps;
  /** Once-only card delivery (the notifications table), for the audit digest. */
  readonly delivery: DeliveryDeps;
  /** The process's OpenTelemetry SDK (Application Insights when configured) and its in-memory metrics. */
  readonly telemetry: Telemetry;
  /** Checks the Entra token of webhook senders; undefined when GG_INGEST_ENTRA_TENANT_ID is unset. */
  readonly senders?: SenderVerifier;
}

export interface ServiceOptions {
  readonly clock?: Clock;
  readonly random?: Random;
  readonly logSink?: LogSink;
  /** Overrides GG_LOG_FORMAT (tests that parse lines ask for json). */
  readonly logFormat?: LogFormat;
  /** Offline composition roots pass the simulator's static token; Azure uses DefaultAzureCredential. */
  readonly credential?: TokenCredential;
  /** The benchmark scales ARM's buckets to its simulated clock (with a shared budget of its own). */
  readonly limiter?: ArmCallLimiter;
  /** Overrides of the engine's knobs (tests use small delays). */
  readonly validation?: Partial<ValidationOptions>;
  /** Webhook transport and backoff of verdict actions (tests record or shorten them). */
  readonly post?: HttpPost;
  readonly sleep?: (ms: number) => Promise<void>;
}

const realDelay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createServices(config: Config, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  let credential: TokenCredential | undefined = options.credential;
  const lazyCredential = (): TokenCredential => (credential ??= defaultAzureCredential());
  const telemetry = installTelemetry(config.ingest.appInsightsConnectionString, lazyCredential);
  const sink = options.logSink ?? consoleSink;
  const logger = createLogger({
    level: config.ingest.logLevel,
    // In Azure every line also goes to App Insights as a log record with its fields as dimensions.
    sink: telemetry.exporter === 'application-insights' ? appInsightsLogSink(sink) : sink,
    format: options.logFormat ?? resolveLogFormat(config.ingest.logFormat, options.logSink === undefined),
  });
  const storage = createStorageClients(config.storage, lazyCredential);
  // Every instance leases its ARM tokens from one Table-backed budget per subscription.
  const limiter =
    options.limiter ??
    new ArmCallLimiter({
      ...DEFAULT_LIMITS,
      shared: {
        ...DEFAULT_LEASE,
        budget: new TableArmBudget(storage.table(ARM_BUDGET_TABLE)),
        onFallback: (error) =>
          logger.warn('shared ARM budget unreachable: pacing this instance on its 1/40 share', { error }),
      },
    });
  const arm = new ArmClientFactory(config, lazyCredential, limiter);
  const runIndex = new RunIndex(storage.table(RUN_INDEX_TABLE));
  const ledger = new RunLedger(storage.table(RUN_TABLE), clock, runIndex);
  const runQueue = new RunQueue(storage.queue(RUN_QUEUE_NAME));
  const verdictActions = createVerdictActionsDeps({ config, clock, storage }, (id) => arm.compute(id), {
    ...(options.post === undefined ? {} : { post: options.post }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
  const lookupVersion = armVersionLookup((subscriptionId) => arm.compute(subscriptionId));
  const findings = new FindingLedger(storage.table(FINDING_TABLE));
  const galleryAudit: GalleryAuditDeps = {
    config,
    clock,
    logger,
    compute: (subscriptionId) => arm.compute(subscriptionId),
    ledger,
    findings,
    revalidate: (versionId, requestId) =>
      revalidateVersion(
        { ledger, runQueue, config, lookupVersion },
        verdictActions,
        {
          versionId,
          requestId,
          reason: 'governance audit: latest version never passed',
          requestedBy: 'gallery-guard audit',
        },
        logger,
      ),
  };
  let engine: EngineDeps | undefined;
  const buildEngine = (): EngineDeps => {
    const engineOptions = { ...validationOptions(config), ...options.validation };
    const validation = arm.clients(engineOptions.subscriptionId);
    const { maxVmsPerRegion: perRegion, maxVmsPerSubscription: perSubscription } = config.validation;
    return {
      options: engineOptions,
      clock,
      random,
      logger,
      compute: validation.compute,
      network: validation.network,
      galleryCompute: (subscriptionId) => arm.compute(subscriptionId),
      slots: new VmSlots(storage.table(VM_SLOT_TABLE), clock, { perRegion, perSubscription }, random),
      fetchSerialLog: serialLogReader({ ca: arm.ca }),
      runVerdictActions: (report) => actOnVerdictOrRollOut(verdictActions, report, logger),
      delay: realDelay,
      wakeRun: (runId) => runQueue.enqueue(parseRunId(runId)),
      pageStuckRun: (stuck) => pageStuckRun(verdictActions, stuck, logger),
      recordFirstContact: (versionId) =>
        recordFirstContact(verdictActions, versionId, logger).catch((error: unknown) =>
          logger.warn('could not record first contact; the verdict will', { versionId, error }),
        ),
      ledger,
      runQueue,
      records: new ValidationRecords(storage.table(STEP_TABLE), storage.table(CHECK_TABLE)),
      inventory: new InventoryStore(storage.table(INVENTORY_TABLE)),
    };
  };
  return {
    config,
    logger,
    clock,
    random,
    credential: lazyCredential,
    storage,
    ledger,
    runIndex,
    runQueue,
    audit: new AuditLog(storage.table(AUDIT_TABLE), clock),
    arm,
    limiter,
    lookupVersion,
    verdictActions,
    engine: () => (engine ??= buildEngine()),
    findings,
    galleryAudit,
    delivery: deliveryDeps(verdictActions),
    telemetry,
    ...(config.ingest.entraAuth === undefined
      ? {}
      : { senders: createSenderVerifier(config.ingest.entraAuth) }),
  };
}

/**
 * `auto`: readable lines for a person at a terminal, JSON everywhere else (Azure's stdout is no TTY,
 * and a custom sink is a program reading the lines).
 */
export function resolveLogFormat(setting: Config['ingest']['logFormat'], toConsole = true): LogFormat {
  if (setting !== 'auto') return setting;
  return toConsole && process.stdout.isTTY === true ? 'pretty' : 'json';
}
