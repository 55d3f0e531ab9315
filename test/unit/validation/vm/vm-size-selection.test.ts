import { securityTypesFor, type ImageProfile } from '../../../../shared/validation/vm/image-profile';
import { compatibleSizes } from '../../../../shared/validation/vm/vm-size-selection';

const linux: ImageProfile = {
  osType: 'Linux',
  osState: 'Generalized',
  hyperVGeneration: 'V2',
  architecture: 'x64',
  securityTypes: securityTypesFor('TrustedLaunchSupported', 'V2'),
};

describe('compatibleSizes', () => {
  it('picks the cheapest compatible x64 size', () => {
    expect(compatibleSizes(linux)[0]).toEqual({ size: 'Standard_B2s', securityType: 'Standard' });
  });

  it('uses a Trusted Launch size for a Trusted-Launch-only image (B-series v1 has none)', () => {
    const tl = { ...linux, securityTypes: securityTypesFor('TrustedLaunch', 'V2') };
    expect(compatibleSizes(tl)[0]).toEqual({ size: 'Standard_D2s_v5', securityType: 'TrustedLaunch' });
  });

  it('moves on to the next size when one was excluded after a capacity error', () => {
    expect(compatibleSizes(linux, ['Standard_B2s'])[0]?.size).toBe('Standard_D2s_v5');
  });

  it('uses an Arm64 size for an Arm64 image', () => {
    expect(
      compatibleSizes({ ...linux, architecture: 'Arm64', securityTypes: ['Standard'] }).map((c) => c.size),
    ).toEqual(['Standard_D2ps_v5']);
  });

  it('uses a confidential size for a ConfidentialVM image', () => {
    const cvm = { ...linux, securityTypes: securityTypesFor('ConfidentialVM', 'V2') };
    expect(compatibleSizes(cvm)).toEqual([{ size: 'Standard_DC2as_v5', securityType: 'ConfidentialVM' }]);
  });

  it('respects the recommended memory of the definition', () => {
    expect(compatibleSizes({ ...linux, recommended: { memoryGiB: { min: 8 } } })[0]?.size).toBe(
      'Standard_D2s_v5',
    );
  });

  it('gives Gen1 images only the Standard security type', () => {
    expect(securityTypesFor('TrustedLaunch', 'V1')).toEqual(['Standard']);
  });
});
