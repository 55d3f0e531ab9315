import type { ComputeManagementClient } from '@azure/arm-compute';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { ImageVersionRef } from '../../arm/resource-id';
import type { OwnerCheckScript } from '../../config';
import type { Logger } from '../../logging/logger';
import type { StuckRun } from '../../remediation/page-stuck-run';
import type { Clock } from '../../runtime/clock';
import type { Random } from '../../runtime/random';
import type { Phase } from './validation-phase';
import type { ValidationState } from './validation-state';
import type { AuthorizationGrace } from '../../azure/authorization';
import type { VerdictReport } from '../../verdict/verdict';
import type { VmSlots } from '../vm/vm-slots';
import type { InventoryStore } from '../../inventory/inventory-store';
import type { DiffPolicyDefaults } from '../../policy/diff-policy';

/** Knobs of the engine, from Config (tests pass small delays). */
export interface ValidationOptions {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly subnets: Readonly<Record<string, string>>;
  readonly replicationTimeoutMs: number;
  readonly bootTimeoutMs: number;
  readonly vmTtlMs: number;
  readonly pollMs: number;
  /** How long a run waits for ARM to show a version a signal named (GG_UNCONFIRMED_WAIT_MINUTES). */
  readonly unconfirmedWaitMs: number;
  readonly slotWaitMs: number;
  readonly infraBackoffMs: number;
  readonly infraRetryBudget: number;
  readonly adminUsername: string;
  /** How long one handler invocation owns a run before another may take over (crash recovery). */
  readonly claimMs: number;
  /** Poll interval of the Run Command operation inside one invocation. */
  readonly runCommandPollMs: number;
  /** Owner check scripts by name (GG_CHECK_SCRIPTS); definitions pick them with gg-check-scripts. */
  readonly checkScripts: Readonly<Record<string, OwnerCheckScript>>;
  /** Role propagation window after the deployment: authorization failures within it are retried. */
  readonly authorization?: AuthorizationGrace;
  /** GG_INVENTORY and the GG_DIFF_* defaults; absent = no inventory, no diff. */
  readonly inventory?: { readonly enabled: boolean; readonly diff: DiffPolicyDefaults };
}

/** What phases may use. Everything is injected; nothing here reads the environment. */
export interface ValidationContext {
  readonly options: ValidationOptions;
  readonly clock: Clock;
  /** Jitter source (retry backoff, slot polls). */
  readonly random: Random;
  readonly logger: Logger;
  /** Client for the validation subscription (VMs, run commands, boot diagnostics). */
  readonly compute: ComputeManagementClient;
  readonly network: NetworkManagementClient;
  /** Client for the subscription that holds a gallery. */
  readonly galleryCompute: (subscriptionId: string) => ComputeManagementClient;
  readonly slots: VmSlots;
  /** Reads the serial console log from the SAS URI boot diagnostics hands out. */
  readonly fetchSerialLog: (uri: string) => Promise<string>;
  /** Waits within one invocation for an operation we just started (Run Command), instead of polling it. */
  readonly delay: (ms: number) => Promise<void>;
  /** Puts a run's key on the run queue now (to wake a run waiting for VM slots). */
  readonly wakeRun: (runId: string) => Promise<void>;
  /** The verdict-actions use case (remediation's runVerdictActions); the ActOnVerdict phase runs it. */
  readonly runVerdictActions?: (report: VerdictReport) => Promise<unknown>;
  /** Records the version's excludeFromLatest flags as first seen (verdict actions; best effort). */
  readonly recordFirstContact?: (versionId: string) => Promise<unknown>;
  /** Pages on-call once for a run that makes no progress (verdict actions' pageStuckRun). */
  readonly pageStuckRun?: (stuck: StuckRun) => Promise<unknown>;
  /** Inventories per version and region, and the diffs against the baseline (the inventory table). */
  readonly inventory?: InventoryStore;
}

/** The run as a phase sees it. */
export interface RunView {
  readonly runId: string;
  readonly versionId: string;
  readonly version: ImageVersionRef;
  /** The instance (publishedDate) this run validates; unset while ARM has not shown the version. */
  readonly instanceId?: string;
  /** When ingest created the run (bounds the wait for ARM to show the version). */
  readonly firstSeenAt: string;
  /** 1 on the first execution of the current phase; more means an earlier one may have acted already. */
  readonly phaseAttempt: number;
  readonly state: ValidationState;
}

/** Go on to `next` now, or after `afterMs` (a delayed queue message). */
export interface PhaseResult {
  readonly next: Phase;
  readonly state: ValidationState;
  readonly afterMs?: number;
  readonly reason?: string;
  /** The instance ARM shows, when a run that waited for ARM adopts it (written to the run row). */
  readonly instanceId?: string;
}

export type PhaseFunction = (ctx: ValidationContext, run: RunView) => Promise<PhaseResult>;
