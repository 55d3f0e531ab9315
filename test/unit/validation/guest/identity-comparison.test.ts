import type { GuestReport } from '../../../../shared/validation/guest/guest-report';
import { compareIdentities } from '../../../../shared/validation/guest/identity-comparison';

const report = (machineIdentity: string, ed25519: string): GuestReport => ({
  osType: 'Linux',
  hostname: 'h',
  machineIdentity,
  hostKeys: { ed25519 },
  regenerateHostKeys: 'n',
  leftovers: [],
});

describe('compareIdentities', () => {
  it('fails a generalized image whose VMs share host keys and machine-id', () => {
    const checks = compareIdentities(
      [
        { vmName: 'a', region: 'eastus', report: report('m1', 'k1') },
        { vmName: 'b', region: 'westeurope', report: report('m1', 'k1') },
      ],
      'Generalized',
    );
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['machine-id-unique', 'Failed'],
      ['ssh-host-keys-unique', 'Failed'],
    ]);
    expect(checks[1]?.evidence).toContain('RegenerateSshHostKeyPair=n');
  });

  it('passes distinct identities', () => {
    const checks = compareIdentities(
      [
        { vmName: 'a', region: 'eastus', report: report('m1', 'k1') },
        { vmName: 'b', region: 'eastus', report: report('m2', 'k2') },
      ],
      'Generalized',
    );
    expect(checks.every((c) => c.status === 'Passed')).toBe(true);
  });

  it('expects a shared identity on specialized images', () => {
    const same = [
      { vmName: 'a', region: 'eastus', report: report('m1', 'k1') },
      { vmName: 'b', region: 'eastus', report: report('m1', 'k1') },
    ];
    expect(compareIdentities(same, 'Specialized')).toEqual([expect.objectContaining({ status: 'Skipped' })]);
  });
});
