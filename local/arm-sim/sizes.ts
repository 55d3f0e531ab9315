/** The VM sizes the simulator offers: a small realistic set covering every create rule. */
export interface VmSize {
  readonly name: string;
  readonly vCPUs: number;
  readonly memoryGiB: number;
  /** Quota family, as ARM names it in quota errors. */
  readonly family: string;
  readonly hyperVGenerations: readonly ('V1' | 'V2')[];
  readonly architecture: 'x64' | 'Arm64';
  readonly trustedLaunch: boolean;
  readonly confidentialVm: boolean;
}

export const VM_SIZES: Readonly<Record<string, VmSize>> = {
  Standard_A1_v2: {
    name: 'Standard_A1_v2',
    vCPUs: 1,
    memoryGiB: 2,
    family: 'standardAv2Family',
    hyperVGenerations: ['V1'],
    architecture: 'x64',
    trustedLaunch: false,
    confidentialVm: false,
  },
  Standard_B2s: {
    name: 'Standard_B2s',
    vCPUs: 2,
    memoryGiB: 4,
    family: 'standardBSFamily',
    hyperVGenerations: ['V1', 'V2'],
    architecture: 'x64',
    trustedLaunch: false,
    confidentialVm: false,
  },
  Standard_D2s_v5: {
    name: 'Standard_D2s_v5',
    vCPUs: 2,
    memoryGiB: 8,
    family: 'standardDSv5Family',
    hyperVGenerations: ['V1', 'V2'],
    architecture: 'x64',
    trustedLaunch: true,
    confidentialVm: false,
  },
  Standard_D2ps_v5: {
    name: 'Standard_D2ps_v5',
    vCPUs: 2,
    memoryGiB: 8,
    family: 'standardDPSv5Family',
    hyperVGenerations: ['V2'],
    architecture: 'Arm64',
    trustedLaunch: false,
    confidentialVm: false,
  },
  Standard_DC2as_v5: {
    name: 'Standard_DC2as_v5',
    vCPUs: 2,
    memoryGiB: 8,
    family: 'standardDCASv5Family',
    hyperVGenerations: ['V2'],
    architecture: 'x64',
    trustedLaunch: true,
    confidentialVm: true,
  },
};

/** Sizes offered per region; westeurope lacks the confidential size so SkuNotAvailable is reachable. */
export const DEFAULT_REGION_SIZES: Readonly<Record<string, readonly string[]>> = {
  eastus: Object.keys(VM_SIZES),
  westeurope: ['Standard_A1_v2', 'Standard_B2s', 'Standard_D2s_v5', 'Standard_D2ps_v5'],
};

export const DEFAULT_VCPU_QUOTA_PER_REGION = 100;
