import type { SecurityType } from './vm-size-catalogue';

/** What validation needs to know about an image definition, read from ARM. */
export interface ImageProfile {
  readonly osType: 'Linux' | 'Windows';
  readonly osState: 'Generalized' | 'Specialized';
  readonly hyperVGeneration: 'V1' | 'V2';
  readonly architecture: 'x64' | 'Arm64';
  /** Security types a VM from this image may use, preferred first. */
  readonly securityTypes: readonly SecurityType[];
  readonly recommended?: {
    readonly vCPUs?: { readonly min?: number; readonly max?: number };
    readonly memoryGiB?: { readonly min?: number; readonly max?: number };
  };
}

/**
 * Maps the definition's `SecurityType` feature to the VM security types it accepts. A "...Supported"
 * image boots either way; we prefer the protected type because that is what its users deploy.
 */
export function securityTypesFor(feature: string | undefined, hyperVGeneration: 'V1' | 'V2'): SecurityType[] {
  if (hyperVGeneration === 'V1') return ['Standard'];
  switch ((feature ?? 'Standard').toLowerCase()) {
    case 'trustedlaunch':
      return ['TrustedLaunch'];
    case 'confidentialvm':
      return ['ConfidentialVM'];
    case 'trustedlaunchsupported':
      return ['TrustedLaunch', 'Standard'];
    case 'confidentialvmsupported':
      return ['ConfidentialVM', 'Standard'];
    case 'trustedlaunchandconfidentialvmsupported':
      return ['TrustedLaunch', 'ConfidentialVM', 'Standard'];
    default:
      return ['Standard'];
  }
}
