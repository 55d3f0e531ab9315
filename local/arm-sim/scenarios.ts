import { GUEST_PROFILES, type GuestProfile } from './guest/guest-profile';
import type { ArmResource } from './resource-store';
import type { SimState } from './sim-state';
import { displayRegion } from './providers/common';

export const SCENARIOS = ['demo', 'empty'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const DEMO = {
  subscriptionId: '00000000-0000-0000-0000-000000000001',
  resourceGroup: 'rg-images',
  gallery: 'gg_demo_gallery',
  validationResourceGroup: 'rg-gallery-guard-validation',
  regions: ['eastus', 'westeurope'],
  version: '1.0.0',
} as const;

interface DemoImage {
  readonly name: string;
  readonly osType: 'Linux' | 'Windows';
  readonly osState: 'Generalized' | 'Specialized';
  readonly owner: string;
  readonly profile: GuestProfile;
}

export const DEMO_IMAGES: readonly DemoImage[] = [
  {
    name: 'ubuntu-healthy',
    osType: 'Linux',
    osState: 'Generalized',
    owner: 'team-linux@example.com',
    profile: GUEST_PROFILES.healthyLinux,
  },
  {
    name: 'ubuntu-cloned',
    osType: 'Linux',
    osState: 'Generalized',
    owner: 'team-linux@example.com',
    profile: GUEST_PROFILES.clonedLinux,
  },
  {
    name: 'ubuntu-kernel-panic',
    osType: 'Linux',
    osState: 'Generalized',
    owner: 'team-linux@example.com',
    profile: GUEST_PROFILES.kernelPanic,
  },
  {
    name: 'ubuntu-agent-stuck',
    osType: 'Linux',
    osState: 'Generalized',
    owner: 'team-linux@example.com',
    profile: GUEST_PROFILES.agentStuck,
  },
  {
    name: 'windows-specialized',
    osType: 'Windows',
    osState: 'Specialized',
    owner: 'team-windows@example.com',
    profile: GUEST_PROFILES.specializedWindows,
  },
  {
    name: 'windows-healthy',
    osType: 'Windows',
    osState: 'Generalized',
    owner: 'team-windows@example.com',
    profile: GUEST_PROFILES.healthyWindows,
  },
];

const put = (sim: SimState, r: ArmResource): void => void sim.store.put(r, 'scenario');

/** Seeds a scenario on top of whatever exists (reset first for a clean slate). */
export function applyScenario(sim: SimState, name: ScenarioName): void {
  if (name === 'empty') return;
  const sub = `/subscriptions/${DEMO.subscriptionId}`;
  const rg = `${sub}/resourceGroups/${DEMO.resourceGroup}`;
  const gallery = `${rg}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`;
  const now = new Date().toISOString();
  put(sim, {
    id: rg,
    name: DEMO.resourceGroup,
    type: 'Microsoft.Resources/resourceGroups',
    location: 'eastus',
    tags: {},
    properties: { provisioningState: 'Succeeded' },
  });
  put(sim, {
    id: gallery,
    name: DEMO.gallery,
    type: 'Microsoft.Compute/galleries',
    location: 'eastus',
    tags: {},
    properties: {
      description: 'gallery-guard demo gallery',
      identifier: { uniqueName: `00000000-GG_DEMO_GALLERY` },
      provisioningState: 'Succeeded',
    },
  });
  for (const image of DEMO_IMAGES) {
    const imageId = `${gallery}/images/${image.name}`;
    put(sim, {
      id: imageId,
      name: image.name,
      type: 'Microsoft.Compute/galleries/images',
      location: 'eastus',
      tags: { owner: image.owner },
      properties: {
        osType: image.osType,
        osState: image.osState,
        hyperVGeneration: 'V2',
        architecture: 'x64',
        features: [{ name: 'SecurityType', value: 'TrustedLaunchSupported' }],
        identifier: {
          publisher: 'contoso',
          offer: image.osType === 'Linux' ? 'ubuntu' : 'windows-server',
          sku: image.name,
        },
        recommended: { vCPUs: { min: 2, max: 16 }, memory: { min: 4, max: 64 } },
        provisioningState: 'Succeeded',
      },
    });
    sim.guestProfiles.set(imageId.toLowerCase(), image.profile);
    const versionId = `${imageId}/versions/${DEMO.version}`;
    put(sim, {
      id: versionId,
      name: DEMO.version,
      type: 'Microsoft.Compute/galleries/images/versions',
      location: 'eastus',
      tags: {},
      properties: {
        publishingProfile: {
          targetRegions: DEMO.regions.map((r) => ({
            name: displayRegion(r),
            regionalReplicaCount: 1,
            storageAccountType: 'Standard_LRS',
            excludeFromLatest: false,
          })),
          replicaCount: 1,
          excludeFromLatest: false,
          publishedDate: now,
          storageAccountType: 'Standard_LRS',
          replicationMode: 'Full',
        },
        storageProfile: {
          source: {
            virtualMachineId: `${sub}/resourceGroups/rg-image-build/providers/Microsoft.Compute/virtualMachines/${image.name}-build`,
          },
          osDiskImage: { sizeInGB: 30, hostCaching: 'ReadWrite' },
        },
        safetyProfile: {
          allowDeletionOfReplicatedLocations: true,
          reportedForPolicyViolation: false,
          blockDeletionBeforeEndOfLife: false,
        },
        provisioningState: 'Succeeded',
      },
    });
    sim.replication.set(versionId.toLowerCase(), {
      regions: DEMO.regions.map((r) => ({ name: displayRegion(r), startMs: 0, doneMs: 0 })),
    });
  }

  const vrg = `${sub}/resourceGroups/${DEMO.validationResourceGroup}`;
  put(sim, {
    id: vrg,
    name: DEMO.validationResourceGroup,
    type: 'Microsoft.Resources/resourceGroups',
    location: 'eastus',
    tags: {},
    properties: { provisioningState: 'Succeeded' },
  });
  for (const region of DEMO.regions) {
    const nsgId = `${vrg}/providers/Microsoft.Network/networkSecurityGroups/nsg-gg-validation-${region}`;
    put(sim, {
      id: nsgId,
      name: `nsg-gg-validation-${region}`,
      type: 'Microsoft.Network/networkSecurityGroups',
      location: region,
      tags: {},
      properties: {
        securityRules: [
          {
            id: `${nsgId}/securityRules/DenyAllInbound`,
            name: 'DenyAllInbound',
            properties: {
              protocol: '*',
              sourcePortRange: '*',
              destinationPortRange: '*',
              sourceAddressPrefix: '*',
              destinationAddressPrefix: '*',
              access: 'Deny',
              priority: 4096,
              direction: 'Inbound',
            },
          },
        ],
        provisioningState: 'Succeeded',
      },
    });
    const vnetId = `${vrg}/providers/Microsoft.Network/virtualNetworks/vnet-gg-validation-${region}`;
    put(sim, {
      id: vnetId,
      name: `vnet-gg-validation-${region}`,
      type: 'Microsoft.Network/virtualNetworks',
      location: region,
      tags: {},
      properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, provisioningState: 'Succeeded' },
    });
    put(sim, {
      id: `${vnetId}/subnets/validation`,
      name: 'validation',
      type: 'Microsoft.Network/virtualNetworks/subnets',
      properties: {
        addressPrefix: '10.0.0.0/24',
        networkSecurityGroup: { id: nsgId },
        // As infra/app/validation-network.bicep deploys it: a private subnet (subnet property since
        // Microsoft.Network 2023-05-01), no implicit outbound public IP for its VMs.
        defaultOutboundAccess: false,
        provisioningState: 'Succeeded',
      },
    });
  }
}
