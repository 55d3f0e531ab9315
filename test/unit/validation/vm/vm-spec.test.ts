import { vmSpec, type VmSpecInput } from '../../../../shared/validation/vm/vm-spec';

const input: VmSpecInput = {
  region: 'eastus',
  size: 'Standard_B2s',
  securityType: 'Standard',
  imageVersionId:
    '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0',
  nicId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/n',
  osType: 'Linux',
  osState: 'Specialized',
  computerName: 'gg-1',
  adminUsername: 'ggvalidator',
  tags: {},
};

describe('vmSpec security profile', () => {
  it('names Standard explicitly, because Gen2 VMs default to TrustedLaunch from api-version 2025-11-01', () => {
    expect(vmSpec(input).securityProfile).toEqual({ securityType: 'Standard' });
  });

  it('asks for Trusted Launch and Confidential VM with Secure Boot and vTPM', () => {
    for (const securityType of ['TrustedLaunch', 'ConfidentialVM'] as const) {
      expect(vmSpec({ ...input, securityType }).securityProfile).toEqual({
        securityType,
        uefiSettings: { secureBootEnabled: true, vTpmEnabled: true },
      });
    }
  });
});
