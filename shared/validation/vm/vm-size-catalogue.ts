/**
 * The VM sizes validation may use, with what decides compatibility with an image definition.
 * Kept small and cheap on purpose: a validation VM only has to boot and answer Run Command.
 * Prices are indicative pay-as-you-go USD/hour (Linux, East US); only their order matters.
 */
export const SecurityType = {
  Standard: 'Standard',
  TrustedLaunch: 'TrustedLaunch',
  ConfidentialVM: 'ConfidentialVM',
} as const;
export type SecurityType = (typeof SecurityType)[keyof typeof SecurityType];

export interface VmSize {
  readonly name: string;
  readonly vCPUs: number;
  readonly memoryGiB: number;
  readonly architecture: 'x64' | 'Arm64';
  readonly hyperVGenerations: readonly ('V1' | 'V2')[];
  readonly securityTypes: readonly SecurityType[];
  readonly pricePerHour: number;
}

export const VM_SIZE_CATALOGUE: readonly VmSize[] = [
  {
    name: 'Standard_B2s',
    vCPUs: 2,
    memoryGiB: 4,
    architecture: 'x64',
    hyperVGenerations: ['V1', 'V2'],
    // B-series v1 does not support Trusted Launch.
    securityTypes: ['Standard'],
    pricePerHour: 0.0416,
  },
  {
    name: 'Standard_D2ps_v5',
    vCPUs: 2,
    memoryGiB: 8,
    architecture: 'Arm64',
    hyperVGenerations: ['V2'],
    securityTypes: ['Standard'],
    pricePerHour: 0.077,
  },
  {
    name: 'Standard_D2s_v5',
    vCPUs: 2,
    memoryGiB: 8,
    architecture: 'x64',
    hyperVGenerations: ['V1', 'V2'],
    securityTypes: ['Standard', 'TrustedLaunch'],
    pricePerHour: 0.096,
  },
  {
    name: 'Standard_DC2as_v5',
    vCPUs: 2,
    memoryGiB: 8,
    architecture: 'x64',
    hyperVGenerations: ['V2'],
    securityTypes: ['ConfidentialVM'],
    pricePerHour: 0.109,
  },
];
