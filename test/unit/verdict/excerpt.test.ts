import { excerpt } from '../../../shared/verdict/excerpt';

const PROVISIONING =
  "ProvisioningState/failed/OSProvisioningTimedOut: OS Provisioning for VM 'gg-fc05d068-0a' did not finish in the allotted time. The VM may still finish provisioning successfully. Please check provisioning state later. Also, make sure the image has been properly prepared (generalized).\r\n * Instructions for Windows: https://azure.microsoft.com/documentation/articles/virtual-machines-windows-upload-image/ \r\n * Instructions for Linux: https://azure.microsoft.com/documentation/articles/virtual-machines-linux-capture-image/";

describe('excerpt', () => {
  it('keeps short text as it is, on one line', () => {
    expect(excerpt('  a\r\n  b\tc ', 20)).toBe('a b c');
    expect(excerpt('[    2.104512] Kernel panic', 80)).toBe('[    2.104512] Kernel panic');
    expect(excerpt(undefined, 20)).toBe('');
  });

  it('cuts an Azure provisioning message after its last whole sentence, not mid-word', () => {
    const text = excerpt(PROVISIONING, 300);
    expect(text).toBe(
      "ProvisioningState/failed/OSProvisioningTimedOut: OS Provisioning for VM 'gg-fc05d068-0a' did not finish in the allotted time. The VM may still finish provisioning successfully. Please check provisioning state later. Also, make sure the image has been properly prepared (generalized). …",
    );
    expect(text.length).toBeLessThanOrEqual(300);
  });

  it('cuts at a word boundary when no sentence ends in the room', () => {
    const text = excerpt('alpha beta gamma delta epsilon zeta eta theta', 20);
    expect(text).toBe('alpha beta gamma…');
    expect(text.length).toBeLessThanOrEqual(20);
  });

  it('still cuts text without spaces (a long hash or path)', () => {
    expect(excerpt('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it.each([20, 50, 120, 250, 300])('never exceeds %d characters', (max) => {
    expect(excerpt(PROVISIONING, max).length).toBeLessThanOrEqual(max);
  });
});
