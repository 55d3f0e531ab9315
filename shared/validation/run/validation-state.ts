import type { GuestReport } from '../guest/guest-report';
import type { ImageProfile } from '../vm/image-profile';
import type { Phase } from './validation-phase';
import { parsePhase } from './validation-phase';
import type { CheckResult, Verdict } from '../../verdict/verdict';
import type { SecurityType } from '../vm/vm-size-catalogue';
import type { DiffPolicy } from '../../policy/diff-policy';
import type { ChangesSummary } from '../../inventory/changes-summary';

export const VmStatus = {
  Planned: 'Planned',
  /** The create request may have been sent: look before creating again. */
  Creating: 'Creating',
  Ready: 'Ready',
  /** The image failed to provision (agent never Ready, OSProvisioningTimedOut...). */
  ImageFailed: 'ImageFailed',
  Checked: 'Checked',
} as const;
export type VmStatus = (typeof VmStatus)[keyof typeof VmStatus];

export interface VmRecord {
  readonly slot: number;
  readonly attempt: number;
  readonly name: string;
  readonly region: string;
  readonly size: string;
  readonly securityType: SecurityType;
  /** Generalized images only: the name given in osProfile, which the guest must take. */
  readonly computerName?: string;
  readonly status: VmStatus;
  readonly createRequestedAt?: string;
  readonly bootSeconds?: number;
  /** Instance-view status or timeout that made the image fail. */
  readonly failure?: string;
  readonly bootLogScanned?: boolean;
  readonly report?: GuestReport;
  /** The guest's inventory was stored (inventory table, key version + region + run). */
  readonly inventoried?: boolean;
  /** Why the guest gave no usable inventory. */
  readonly inventoryProblem?: string;
}

export interface StepStats {
  startedAt: string;
  endedAt?: string;
  attempts: number;
  armCalls: number;
  outcome?: string;
}

/** Everything the engine knows about a run, stored as JSON in the run row (`validation` column). */
export interface ValidationState {
  readonly image?: ImageProfile & { readonly definition: string };
  readonly owner?: string;
  readonly policyProblems?: readonly string[];
  /** Owner check scripts the definition's policy requires (names in GG_CHECK_SCRIPTS). */
  readonly checkScripts?: readonly string[];
  /** The definition's policy on the inventory diff (settings with its tags applied). */
  readonly diffPolicy?: DiffPolicy;
  /** What changed against the baseline per region, bounded (the full diffs are in the inventory table). */
  readonly changes?: ChangesSummary;
  /** Regions the version replicates to, and those we test. */
  readonly targetRegions?: readonly string[];
  readonly regions?: readonly string[];
  readonly replicationWaitSince?: string;
  /** When the run first found no free VM slot: its place in the FIFO waiter list. */
  readonly slotWaitSince?: string;
  readonly vms: readonly VmRecord[];
  /** VMs given up after an infrastructure failure; CleanUp confirms they are gone too. */
  readonly retiredVms: readonly { readonly name: string; readonly region: string }[];
  readonly excludedSizes: Readonly<Record<string, readonly string[]>>;
  readonly checks: readonly CheckResult[];
  readonly infraFaults: number;
  readonly lastInfraFault?: string;
  readonly verdict?: Verdict;
  readonly verdictReason?: string;
  /** Set when our own access, not the image, kept the run from deciding (pages the operators). */
  readonly configurationError?: string;
  readonly decidedAt?: string;
  readonly cancelled?: boolean;
  readonly cleanedUpAt?: string;
  readonly steps: Readonly<Record<string, StepStats>>;
  readonly armCalls: number;
}

export const EMPTY_STATE: ValidationState = {
  vms: [],
  retiredVms: [],
  excludedSizes: {},
  checks: [],
  infraFaults: 0,
  steps: {},
  armCalls: 0,
};

/** Column names the engine adds to the run row. */
export const COLUMNS = {
  phase: 'phase',
  phaseAttempt: 'phaseAttempt',
  claimedUntil: 'claimedUntil',
  validation: 'validation',
  verdict: 'verdict',
} as const;

export interface StoredProgress {
  readonly phase: Phase;
  readonly phaseAttempt: number;
  readonly claimedUntil?: string;
  readonly state: ValidationState;
}

export function readProgress(extra: Readonly<Record<string, string | number | boolean>>): StoredProgress {
  const raw = extra[COLUMNS.validation];
  let state = EMPTY_STATE;
  if (typeof raw === 'string' && raw.length > 0)
    state = { ...EMPTY_STATE, ...(JSON.parse(raw) as ValidationState) };
  const claimed = extra[COLUMNS.claimedUntil];
  return {
    phase: parsePhase(extra[COLUMNS.phase]),
    phaseAttempt: Number(extra[COLUMNS.phaseAttempt] ?? 0) || 0,
    claimedUntil: typeof claimed === 'string' && claimed.length > 0 ? claimed : undefined,
    state,
  };
}

export function progressColumns(p: StoredProgress): Record<string, string | number> {
  return {
    [COLUMNS.phase]: p.phase,
    [COLUMNS.phaseAttempt]: p.phaseAttempt,
    [COLUMNS.claimedUntil]: p.claimedUntil ?? '',
    [COLUMNS.validation]: JSON.stringify(p.state),
    ...(p.state.verdict === undefined ? {} : { [COLUMNS.verdict]: p.state.verdict }),
  };
}
