import type { VirtualMachine } from '@azure/arm-compute';
import type { NetworkInterface } from '@azure/arm-network';
import { ephemeralPassword, ephemeralSshPublicKey } from './ephemeral-credentials';
import type { SecurityType } from './vm-size-catalogue';

export interface VmSpecInput {
  readonly region: string;
  readonly size: string;
  readonly securityType: SecurityType;
  readonly imageVersionId: string;
  readonly nicId: string;
  readonly osType: 'Linux' | 'Windows';
  readonly osState: 'Generalized' | 'Specialized';
  /** Generalized only: computer name and admin user. */
  readonly computerName: string;
  readonly adminUsername: string;
  readonly tags: Record<string, string>;
}

/** Isolated NIC: a private address in the validation subnet and nothing else (never a public IP). */
export function nicSpec(region: string, subnetId: string, tags: Record<string, string>): NetworkInterface {
  return {
    location: region,
    tags,
    ipConfigurations: [{ name: 'ipconfig1', subnet: { id: subnetId }, privateIPAllocationMethod: 'Dynamic' }],
  };
}

/**
 * The validation VM. Generalized images get an osProfile with credentials generated here, used for
 * this one request and never kept; specialized images must not get one. Disk and NIC go with the VM.
 */
export function vmSpec(input: VmSpecInput): VirtualMachine {
  const uefi = { secureBootEnabled: true, vTpmEnabled: true };
  const confidential = input.securityType === 'ConfidentialVM';
  return {
    location: input.region,
    tags: input.tags,
    hardwareProfile: { vmSize: input.size },
    storageProfile: {
      imageReference: { id: input.imageVersionId },
      osDisk: {
        createOption: 'FromImage',
        deleteOption: 'Delete',
        managedDisk: {
          storageAccountType: 'StandardSSD_LRS',
          ...(confidential ? { securityProfile: { securityEncryptionType: 'VMGuestStateOnly' } } : {}),
        },
      },
    },
    ...(input.osState === 'Generalized' ? { osProfile: osProfile(input) } : {}),
    networkProfile: { networkInterfaces: [{ id: input.nicId, primary: true, deleteOption: 'Delete' }] },
    diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    // Always explicit: from Compute api-version 2025-11-01 (what @azure/arm-compute 24 sends) a Gen2 VM
    // that names no securityType is created as TrustedLaunch ("Trusted Launch as default"), so leaving
    // it out would validate a Standard image in another mode than the one asked for, or fail.
    securityProfile:
      input.securityType === 'Standard'
        ? { securityType: 'Standard' }
        : { securityType: input.securityType, uefiSettings: uefi },
  };
}

function osProfile(input: VmSpecInput): NonNullable<VirtualMachine['osProfile']> {
  if (input.osType === 'Linux') {
    return {
      computerName: input.computerName,
      adminUsername: input.adminUsername,
      linuxConfiguration: {
        disablePasswordAuthentication: true,
        provisionVMAgent: true,
        ssh: {
          publicKeys: [
            { path: `/home/${input.adminUsername}/.ssh/authorized_keys`, keyData: ephemeralSshPublicKey() },
          ],
        },
      },
    };
  }
  return {
    computerName: input.computerName,
    adminUsername: input.adminUsername,
    adminPassword: ephemeralPassword(),
    windowsConfiguration: { provisionVMAgent: true },
  };
}
