import type { GuestIdentity } from './guest-identity';
import type { GuestProfile } from './guest-profile';
import type { LinuxGuest } from './linux-guest';
import type { RealImage } from './real/debian-image-recipe';

/** The simulator's view of a VM's inside: what booted, who it is, where Run Command reaches it. */
export interface VmRuntime {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly osType: 'Linux' | 'Windows';
  readonly osState: 'Generalized' | 'Specialized';
  readonly hyperVGeneration: string;
  readonly vCPUs: number;
  readonly profile: GuestProfile;
  /** Synthetic guests: from the profile. Real guests: read from the guest once it has booted. */
  identity: GuestIdentity;
  /** Sim ms at which the create request was accepted. */
  readonly createdAtMs: number;
  /** Set when the VM boots this real Debian image rather than the profile's synthetic guest. */
  readonly realImage?: RealImage;
  /** Linux only: the guest Run Command scripts run in (real, or the profile's synthetic files). */
  linux?: LinuxGuest;
  /** Real guests: /etc/os-release and the agent's own version, as the instance view reports them. */
  os?: { readonly name: string; readonly version: string };
  agentVersion?: string;
  booted: boolean;
  agentReady: boolean;
  failure?: { code: string; message: string };
  runCommandBusy: boolean;
  /** Run Command scripts run so far (numbers their download directories, as the handler does). */
  runCommands: number;
}
