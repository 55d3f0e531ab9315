import { setMaxListeners } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { reservedPaths } from './admin-api';
import { Scheduler, SimClock } from './clock';
import { ArmSimulatorControl } from './control';
import { deliverEvent, resourceEvent } from './event-grid-webhook';
import { FaultInjector, validateFaultRules, type FaultRule } from './faults';
import { resolveGuests } from './guest/resolve-guests';
import { guestModeSetting, type GuestModeSetting, type GuestSupport } from './guest/guest-mode';
import { OperationEngine } from './lro';
import { OperationCounter } from './operation-counter';
import { asyncOperationRoutes } from './providers/async-operations';
import { galleryProviderRoutes } from './providers/gallery-provider';
import { networkRoutes } from './providers/network';
import { resourceGroupRoutes } from './providers/resource-groups';
import { vmActionRoutes } from './providers/vm-actions';
import { virtualMachineRoutes } from './providers/virtual-machines';
import { ComputeThrottle } from './compute-throttle';
import { RateLimitHeaders } from './rate-limit-headers';
import { ARM_SUBSCRIPTION_BUCKETS, SubscriptionThrottle, type ArmBuckets } from './subscription-throttle';
import { RequestJournal } from './request-journal';
import { ResourceStore } from './resource-store';
import { Router } from './router';
import { applyScenario, type ScenarioName } from './scenarios';
import { armRequestListener, type RequestLogEntry } from './server';
import type { SimState } from './sim-state';
import { DEFAULT_REGION_SIZES, DEFAULT_VCPU_QUOTA_PER_REGION } from './sizes';
import { generateCertificate } from './tls';
import { VmCreations } from './vm-creations';

export type { FaultRule, FaultKind } from './faults';
export type { ArmBuckets, SubscriptionThrottleCounts } from './subscription-throttle';
export { ARM_SUBSCRIPTION_BUCKETS } from './subscription-throttle';
export type { OperationCounts } from './operation-counter';
export type { RequestLogEntry } from './server';
export type { JournalEntry } from './request-journal';
export type { GuestProfile } from './guest/guest-profile';
export type { LiveResource, GuestFacts } from './control';
export { isValidationLeftover } from './control';
export type { VmCreation } from './vm-creations';
export { GUEST_PROFILES } from './guest/guest-profile';
export { DEMO, DEMO_IMAGES } from './scenarios';
export { VM_SIZES } from './sizes';

export interface ArmSimulatorOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  readonly port?: number;
  /** Sim seconds per real second (default 1; 600 = ten minutes per second). */
  readonly timeScale?: number;
  /** Seed of the PRNG behind rate-based faults (default 1). */
  readonly seed?: number;
  readonly scenario?: ScenarioName;
  readonly faults?: readonly FaultRule[];
  /** Regional vCPU quota (default 100 per region). */
  readonly vcpuQuotaPerRegion?: number;
  /** VM sizes offered per region (default: see sizes.ts). */
  readonly regionSizes?: Readonly<Record<string, readonly string[]>>;
  /** Where to write the CA certificate (default: inside the simulator's temp directory). */
  readonly caCertPath?: string;
  /** Posts a ResourceWriteSuccess event (Event Grid schema) when a gallery write finishes. */
  readonly eventGridWebhook?: { readonly url: string };
  /** Where the simulator reports its own problems (webhook failures, handler bugs). Default: stderr. */
  readonly onError?: (error: Error) => void;
  /** Access log: called once per ARM request answered. */
  readonly onRequest?: (entry: RequestLogEntry) => void;
  /** Sim seconds to replicate a version to one region; regions replicate one after another (default 120). */
  readonly replicationSecondsPerRegion?: number;
  /** How a JSON null in a gallery image version PATCH is treated: 'ignore' (default) or 'clear'. */
  readonly galleryPatchNull?: 'ignore' | 'clear';
  /** Enforce Compute's throttling policies (per VM and per subscription, 429 + Retry-After). Default true. */
  readonly computeThrottling?: boolean;
  /**
   * ARM's subscription buckets (per principal, and 15× across principals), enforced with 429 +
   * Retry-After: false turns enforcement off (the headers are still sent). Default: Azure's documented
   * sizes (subscription-throttle.ts); tests pass small ones.
   */
  readonly armThrottling?: Partial<ArmBuckets> | false;
  /**
   * Linux guests: 'real' (Debian images booted with cloud-init; fails when the machine cannot),
   * 'synthetic' (the profiles' files), or 'auto' (real where possible, else synthetic, saying why
   * once). Default: $GG_SIM_GUESTS, else auto. The first real start builds the images (minutes).
   */
  readonly guests?: GuestModeSetting;
  /** Where the simulator says which guests it boots and how the image build goes. Default: stdout. */
  readonly onNotice?: (message: string) => void;
}

export interface ArmSimulator extends ArmSimulatorControl {
  readonly endpoint: string;
  /** Which guests Linux VMs boot, and why not real ones when they do not. */
  readonly guestSupport: GuestSupport;
  readonly caCertPath: string;
  readonly caCertPem: string;
  close(): Promise<void>;
}

/** Starts the offline ARM control plane over HTTPS; see README "ARM simulator". */
export async function startArmSimulator(options: ArmSimulatorOptions = {}): Promise<ArmSimulator> {
  const clock = new SimClock(options.timeScale ?? 1);
  const scheduler = new Scheduler(clock);
  const workDir = mkdtempSync(join(tmpdir(), 'gg-arm-sim-'));
  const onError = options.onError ?? ((e: Error) => console.error(`[arm-sim] ${e.stack ?? e.message}`));
  const shutdown = new AbortController();
  // One abort listener per Run Command script in flight: a burst of validations runs dozens at once.
  setMaxListeners(0, shutdown.signal);
  const guests = await resolveGuests(
    options.guests ?? guestModeSetting(),
    options.onNotice ?? ((m) => console.log(`[arm-sim] ${m}`)),
  );
  const faults = new FaultInjector(options.seed ?? 1);
  faults.set(validateFaultRules(options.faults ?? []));
  const sim: SimState = {
    clock,
    scheduler,
    store: new ResourceStore(),
    counter: new OperationCounter(),
    journal: new RequestJournal(),
    faults,
    lro: new OperationEngine(clock, scheduler),
    settings: {
      vcpuQuotaPerRegion: options.vcpuQuotaPerRegion ?? DEFAULT_VCPU_QUOTA_PER_REGION,
      regionSizes: options.regionSizes ?? DEFAULT_REGION_SIZES,
      ...(options.eventGridWebhook ? { eventGridWebhook: options.eventGridWebhook } : {}),
      ...(options.replicationSecondsPerRegion === undefined
        ? {}
        : { replicationSecondsPerRegion: options.replicationSecondsPerRegion }),
      galleryPatchNull: options.galleryPatchNull ?? 'ignore',
      computeThrottling: options.computeThrottling ?? true,
      armThrottling:
        options.armThrottling === false ? false : { ...ARM_SUBSCRIPTION_BUCKETS, ...options.armThrottling },
    },
    vms: new Map(),
    guestProfiles: new Map(),
    replication: new Map(),
    blobTokens: new Map(),
    vmCreations: new VmCreations(),
    sourceIdentities: new Map(),
    workDir,
    guests,
    shutdown: shutdown.signal,
    endpoint: '',
    onResourceEvent: (eventType, resourceId, operationName) => {
      const hook = options.eventGridWebhook;
      if (hook) {
        void deliverEvent(
          hook.url,
          resourceEvent(eventType, resourceId, operationName, sim.endpoint),
          onError,
        );
      }
    },
  };
  applyScenario(sim, options.scenario ?? 'demo');

  const router = new Router().add(
    ...resourceGroupRoutes,
    ...asyncOperationRoutes,
    ...galleryProviderRoutes,
    ...virtualMachineRoutes,
    ...vmActionRoutes,
    ...networkRoutes,
  );
  const rateLimits = new RateLimitHeaders(clock);
  const computeThrottle = new ComputeThrottle(clock, () => sim.settings.computeThrottling !== false);
  const subscriptionThrottle = new SubscriptionThrottle(clock, () => sim.settings.armThrottling ?? false);
  const control = new ArmSimulatorControl(sim, rateLimits, computeThrottle, subscriptionThrottle);
  const certificate = await generateCertificate();
  const caCertPath = resolve(options.caCertPath ?? join(workDir, 'ca.pem'));
  await mkdir(dirname(caCertPath), { recursive: true });
  await writeFile(caCertPath, certificate.certPem);

  const server = createServer(
    { cert: certificate.certPem, key: certificate.keyPem },
    armRequestListener({
      sim,
      router,
      rateLimits,
      computeThrottle,
      subscriptionThrottle,
      extra: reservedPaths(control),
      onError,
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
    }),
  );
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, '127.0.0.1', () => ok());
  });
  sim.endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      scheduler.close();
      shutdown.abort();
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await Promise.all([...sim.vms.values()].map((vm) => vm.linux?.dispose() ?? Promise.resolve()));
      await rm(workDir, { recursive: true, force: true });
    })());

  const { images: _images, ...support } = guests;
  return Object.assign(control, { caCertPath, caCertPem: certificate.certPem, close, guestSupport: support });
}
