import { readFileSync } from 'node:fs';
import type { ComputeManagementClient } from '@azure/arm-compute';
import { createArmClients, type ArmClients } from '../../azure/arm-clients';
import { ConfigError } from '../../config';
import { parseRunId } from '../../ledger/run-key';
import { actOnVerdict } from '../../remediation/act-on-verdict';
import { createVerdictActionsDeps } from '../../remediation/verdict-actions-deps';
import { pageStuckRun } from '../../remediation/page-stuck-run';
import { recordFirstContact } from '../../remediation/version-context';
import type { Services } from '../../app/services';
import { ArmCallLimiter } from '../../azure/arm-call-limiter';
import type { EngineDeps } from './reconcile-run';
import { serialLogReader } from '../guest/serial-log-reader';
import type { ValidationOptions } from './validation-context';
import { CHECK_TABLE, STEP_TABLE, ValidationRecords } from './validation-records';
import { VM_SLOT_TABLE, VmSlots } from '../vm/vm-slots';

export interface EngineOverrides {
  readonly options?: Partial<ValidationOptions>;
  readonly limiter?: ArmCallLimiter;
}

export function validationOptions(services: Pick<Services, 'config'>): ValidationOptions {
  const v = services.config.validation;
  if (v.subscriptionId === undefined)
    throw new ConfigError('GG_VALIDATION_SUBSCRIPTION_ID', 'required for validation');
  return {
    subscriptionId: v.subscriptionId,
    resourceGroup: v.resourceGroup,
    subnets: v.subnets,
    replicationTimeoutMs: v.replicationTimeoutSeconds * 1000,
    bootTimeoutMs: v.bootTimeoutSeconds * 1000,
    vmTtlMs: v.vmTtlMinutes * 60_000,
    pollMs: v.pollMs,
    slotWaitMs: v.slotWaitMs,
    infraBackoffMs: v.infraBackoffMs,
    infraRetryBudget: v.infraRetryBudget,
    adminUsername: v.adminUsername,
    claimMs: v.claimSeconds * 1000,
    checkScripts: v.checkScripts,
    runCommandPollMs: Math.max(services.config.arm.pollIntervalMs, 0),
  };
}

/**
 * The composition root of validation: real ARM clients (Azure or the simulator, from config) with one
 * shared call limiter in their pipelines, tables for slots and records, and the verdict actions.
 */
export function createValidationEngine(services: Services, overrides: EngineOverrides = {}): EngineDeps {
  const options = { ...validationOptions(services), ...overrides.options };
  const limiter = overrides.limiter ?? new ArmCallLimiter();
  const clients = new Map<string, ArmClients>();
  const armClients = (subscriptionId: string): ArmClients => {
    let c = clients.get(subscriptionId.toLowerCase());
    if (c === undefined) {
      c = createArmClients(services.config, subscriptionId, { credential: undefined });
      c.compute.pipeline.addPolicy(limiter.policy(), { afterPhase: 'Retry' });
      c.network.pipeline.addPolicy(limiter.policy(), { afterPhase: 'Retry' });
      clients.set(subscriptionId.toLowerCase(), c);
    }
    return c;
  };
  const galleryCompute = (subscriptionId: string): ComputeManagementClient =>
    armClients(subscriptionId).compute;
  const validation = armClients(options.subscriptionId);
  const ca =
    services.config.arm.caCertPath === undefined
      ? undefined
      : readFileSync(services.config.arm.caCertPath, 'utf8');
  const verdictDeps = createVerdictActionsDeps(services, galleryCompute);
  const { perRegion, perSubscription } = {
    perRegion: services.config.validation.maxVmsPerRegion,
    perSubscription: services.config.validation.maxVmsPerSubscription,
  };
  return {
    options,
    clock: services.clock,
    logger: services.logger,
    compute: validation.compute,
    network: validation.network,
    galleryCompute,
    slots: new VmSlots(services.storage.table(VM_SLOT_TABLE), services.clock, { perRegion, perSubscription }),
    fetchSerialLog: serialLogReader({ ca }),
    actOnVerdict: (report) => actOnVerdict(verdictDeps, report, services.logger),
    delay: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    wakeRun: (runId) => services.runQueue.enqueue(parseRunId(runId)),
    pageStuckRun: (stuck) => pageStuckRun(verdictDeps, stuck, services.logger),
    recordFirstContact: (versionId) =>
      recordFirstContact(verdictDeps, versionId, services.logger).catch((error: unknown) =>
        services.logger.warn('could not record first contact; the verdict will', { versionId, error }),
      ),
    ledger: services.ledger,
    runQueue: services.runQueue,
    records: new ValidationRecords(services.storage.table(STEP_TABLE), services.storage.table(CHECK_TABLE)),
  };
}

const engines = new WeakMap<Services, EngineDeps>();

/**
 * One engine per Services (clients and limiter are shared by all invocations of the process). A
 * composition root may build it first with overrides (the benchmark scales the limiter to simulated
 * time); later calls get that same engine.
 */
export function validationEngineFor(services: Services, overrides?: EngineOverrides): EngineDeps {
  let engine = engines.get(services);
  if (engine === undefined) {
    engine = createValidationEngine(services, overrides);
    engines.set(services, engine);
  }
  return engine;
}
