import type { SimClock, Scheduler } from './clock';
import type { ArmBuckets } from './subscription-throttle';
import type { FaultInjector } from './faults';
import type { GuestIdentity } from './guest/guest-identity';
import type { GuestProfile } from './guest/guest-profile';
import type { GuestSupport } from './guest/guest-mode';
import type { DebianImages } from './guest/real/debian-image-cache';
import type { OperationEngine } from './lro';
import type { OperationCounter } from './operation-counter';
import type { RequestJournal } from './request-journal';
import type { ResourceStore } from './resource-store';
import type { VmRuntime } from './guest/vm-runtime';
import type { VmCreations } from './vm-creations';

export interface SimSettings {
  readonly vcpuQuotaPerRegion: number;
  readonly regionSizes: Readonly<Record<string, readonly string[]>>;
  readonly eventGridWebhook?: { readonly url: string };
  /** Sim seconds to replicate a version to one region (default 120). */
  readonly replicationSecondsPerRegion?: number;
  /** A JSON null in a gallery image version PATCH: ignored (default) or removes the property. */
  readonly galleryPatchNull?: 'ignore' | 'clear';
  /** Compute's per-VM and per-subscription throttling (token buckets), enforced unless false. */
  readonly computeThrottling?: boolean;
  /** ARM's subscription buckets, enforced; false = headers only. */
  readonly armThrottling?: ArmBuckets | false;
}

/** Everything the request handlers share. One instance per running simulator. */
export interface SimState {
  readonly clock: SimClock;
  readonly scheduler: Scheduler;
  readonly store: ResourceStore;
  readonly counter: OperationCounter;
  /** Access log with in-flight requests (admin API GET /_sim/requests). */
  readonly journal: RequestJournal;
  readonly faults: FaultInjector;
  readonly lro: OperationEngine;
  readonly settings: SimSettings;
  /** Runtime of each VM (guest identity, boot progress), keyed by lower-cased VM id. */
  readonly vms: Map<string, VmRuntime>;
  /** Guest profiles attached to image versions, keyed by lower-cased version id. */
  readonly guestProfiles: Map<string, GuestProfile>;
  /** Replication progress of image versions, keyed by lower-cased version id. */
  readonly replication: Map<string, Replication>;
  /** Boot-diagnostics blob tokens: SAS signature → VM id. */
  readonly blobTokens: Map<string, { vmId: string; expiresAtMs: number }>;
  /** Every VM created, with its image version (admin API GET /_sim/vm-creations). */
  readonly vmCreations: VmCreations;
  /** Called when a gallery write or delete finishes: feeds the optional Event Grid webhook. */
  readonly onResourceEvent: (
    eventType: 'ResourceWriteSuccess' | 'ResourceDeleteSuccess',
    resourceId: string,
    operationName: string,
  ) => void;
  /** Source-machine identities of images captured without deprovisioning, keyed by version id + host. */
  readonly sourceIdentities: Map<string, Promise<GuestIdentity>>;
  /** Aborted on close: stops running Run Command scripts. */
  readonly shutdown: AbortSignal;
  /** Temp directory holding guest disks; removed on close. */
  readonly workDir: string;
  /** Which guests Linux VMs get; `images` is set when they boot real Debian images. */
  readonly guests: GuestSupport & { readonly images?: DebianImages };
  endpoint: string;
}

/** Each target region finishes replicating at its own sim time. */
export interface Replication {
  readonly regions: { readonly name: string; readonly startMs: number; readonly doneMs: number }[];
}
