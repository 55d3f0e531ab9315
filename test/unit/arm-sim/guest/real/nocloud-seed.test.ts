import { noCloudSeed } from '../../../../../local/arm-sim/guest/real/nocloud-seed';

describe('noCloudSeed', () => {
  it("splits a VM's provisioning data the way cloud-init's Azure datasource does", () => {
    const seed = noCloudSeed({
      instanceId: '6f1c2b9e-5d3a-4e8f-9a41-2c7d0e5b8a13',
      computerName: 'gg-5d3a4e8f-0',
      adminUsername: 'ggvalidator',
      sshPublicKeys: ['ssh-ed25519 AAAAC3Nza key'],
      disablePasswordAuthentication: true,
      customData: Buffer.from('#cloud-config\nruncmd: [echo hi]\n').toString('base64'),
    });
    expect(JSON.parse(seed['meta-data'])).toEqual({
      'instance-id': '6f1c2b9e-5d3a-4e8f-9a41-2c7d0e5b8a13',
      'local-hostname': 'gg-5d3a4e8f-0',
      'public-keys': ['ssh-ed25519 AAAAC3Nza key'],
    });
    expect(seed['vendor-data'].startsWith('#cloud-config\n')).toBe(true);
    expect(JSON.parse(seed['vendor-data'].slice('#cloud-config\n'.length))).toEqual({
      system_info: { default_user: { name: 'ggvalidator' } },
      ssh_pwauth: false,
    });
    expect(seed['user-data']).toBe('#cloud-config\nruncmd: [echo hi]\n');
  });

  it('keeps values that look like YAML syntax inert (JSON is valid YAML)', () => {
    const seed = noCloudSeed({ instanceId: 'i', computerName: 'a: b\n- c', sshPublicKeys: [] });
    expect(JSON.parse(seed['meta-data'])).toEqual({ 'instance-id': 'i', 'local-hostname': 'a: b\n- c' });
    expect(seed['vendor-data']).toBe('');
    expect(seed['user-data']).toBe('');
  });
});
