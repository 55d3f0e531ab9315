import { parseGuestProfile, type GuestProfile } from './guest/guest-profile';
import type { FaultRule } from './faults';
import type { OperationCounts } from './operation-counter';
import type { ComputeThrottle, ThrottleCounts } from './compute-throttle';
import type { RateLimitHeaders } from './rate-limit-headers';
import type { SubscriptionThrottle, SubscriptionThrottleCounts } from './subscription-throttle';
import { applyScenario, type ScenarioName } from './scenarios';
import type { SimState } from './sim-state';
import type { VmCreation } from './vm-creations';

export interface LiveResource {
  readonly id: string;
  readonly type: string;
  readonly name: string;
  readonly location?: string;
  /** 'scenario' = seeded; 'api' = created through ARM calls (what an orphan check looks at). */
  readonly origin: 'scenario' | 'api';
  readonly provisioningState?: string;
}

/** What a validation leaves behind when its clean-up fails: VMs, their NICs and their disks. */
export function isValidationLeftover(resource: Pick<LiveResource, 'type'>): boolean {
  return /virtualMachines|networkInterfaces|disks/i.test(resource.type);
}

export interface GuestFacts {
  readonly vmId: string;
  readonly osType: 'Linux' | 'Windows';
  /** Linux: a real guest or the profile's synthetic files, and where its disk lives on the host. */
  readonly guest?: 'real' | 'synthetic';
  readonly diskDir?: string;
  readonly hostName: string;
  readonly machineId: string;
  readonly machineSid: string;
  readonly booted: boolean;
  readonly agentReady: boolean;
}

/** In-process accessors; the admin API under /_sim exposes the same over HTTPS. */
export class ArmSimulatorControl {
  constructor(
    readonly sim: SimState,
    private readonly rateLimits: RateLimitHeaders,
    private readonly computeThrottle: ComputeThrottle,
    private readonly subscriptionThrottle: SubscriptionThrottle,
  ) {}

  /** ARM's subscription buckets: requests admitted and 429s (since start or the last reset). */
  subscriptionThrottleCounts(): SubscriptionThrottleCounts {
    return this.subscriptionThrottle.counts();
  }

  resetSubscriptionThrottle(): void {
    this.subscriptionThrottle.reset();
  }

  /** Requests Compute's throttling policies answered 429, by policy (since start or the last reset). */
  throttledCounts(): ThrottleCounts {
    return this.computeThrottle.counts();
  }

  get endpoint(): string {
    return this.sim.endpoint;
  }

  get timeScale(): number {
    return this.sim.clock.timeScale;
  }

  liveResources(filter: { origin?: string | undefined } = {}): LiveResource[] {
    this.sim.scheduler.runDue();
    return this.sim.store
      .all()
      .filter((s) => filter.origin === undefined || s.origin === filter.origin)
      .map(({ resource: r, origin }) => ({
        id: r.id,
        type: r.type,
        name: r.name,
        ...(r.location !== undefined ? { location: r.location } : {}),
        origin,
        ...(typeof r.properties.provisioningState === 'string'
          ? { provisioningState: r.properties.provisioningState }
          : {}),
      }));
  }

  operationCounts(): OperationCounts {
    return this.sim.counter.snapshot();
  }

  resetOperationCounts(): void {
    this.sim.counter.reset();
  }

  requiredActions(): string[] {
    return this.sim.counter.requiredActions();
  }

  setFaults(rules: readonly FaultRule[], seed?: number): void {
    this.sim.faults.set(rules, seed);
  }

  faults(): ReturnType<SimState['faults']['list']> {
    return this.sim.faults.list();
  }

  /** Back to a freshly seeded scenario: resources, VMs, guest roots, operations, counts and faults. */
  async reset(scenario: ScenarioName = 'demo'): Promise<void> {
    const guests = [...this.sim.vms.values()].map((vm) => vm.linux);
    this.sim.scheduler.clear();
    this.sim.store.clear();
    this.sim.vms.clear();
    this.sim.replication.clear();
    this.sim.guestProfiles.clear();
    this.sim.sourceIdentities.clear();
    this.sim.blobTokens.clear();
    this.sim.vmCreations.clear();
    this.sim.lro.clear();
    this.sim.counter.reset();
    this.sim.faults.set([]);
    this.rateLimits.reset();
    this.computeThrottle.reset();
    this.subscriptionThrottle.reset();
    await Promise.all(guests.map((g) => g?.dispose() ?? Promise.resolve()));
    applyScenario(this.sim, scenario);
  }

  seed(scenario: ScenarioName): void {
    applyScenario(this.sim, scenario);
  }

  /**
   * Attaches a guest profile (partial; healthy defaults fill the rest) to an image version id, or to
   * an image definition id so every version without its own profile inherits it.
   */
  setGuestProfile(resourceId: string, profile: unknown): GuestProfile {
    const parsed = parseGuestProfile(profile);
    this.sim.guestProfiles.set(resourceId.toLowerCase().replace(/\/+$/, ''), parsed);
    return parsed;
  }

  advanceClock(seconds: number): void {
    this.sim.clock.advance(seconds);
    this.sim.scheduler.runDue();
  }

  guests(): GuestFacts[] {
    return [...this.sim.vms.values()].map((vm) => ({
      vmId: vm.id,
      osType: vm.osType,
      ...(vm.linux !== undefined ? { guest: vm.linux.kind, diskDir: vm.linux.diskDir } : {}),
      hostName: vm.identity.hostName,
      machineId: vm.identity.machineId,
      machineSid: vm.identity.machineSid,
      booted: vm.booted,
      agentReady: vm.agentReady,
    }));
  }

  /** Every VM created since start or the last reset, with the image version it came from. */
  vmCreations(): readonly VmCreation[] {
    return this.sim.vmCreations.list();
  }
}
