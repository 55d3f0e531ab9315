import type { GuestIdentity } from './guest-identity';
import type { GuestProfile } from './guest-profile';

/** The simulator's view of a VM's inside: what booted, who it is, where its guest root lives. */
export interface VmRuntime {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly osType: 'Linux' | 'Windows';
  readonly osState: 'Generalized' | 'Specialized';
  readonly hyperVGeneration: string;
  readonly vCPUs: number;
  readonly profile: GuestProfile;
  readonly identity: GuestIdentity;
  /** Sim ms at which the create request was accepted. */
  readonly createdAtMs: number;
  /** Linux only: the directory a Run Command script sees as `/`. */
  readonly guestRoot?: string;
  booted: boolean;
  agentReady: boolean;
  failure?: { code: string; message: string };
  runCommandBusy: boolean;
}
