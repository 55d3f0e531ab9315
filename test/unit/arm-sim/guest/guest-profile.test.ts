import { GUEST_PROFILES, parseGuestProfile } from '../../../../local/arm-sim/guest/guest-profile';

describe('parseGuestProfile', () => {
  it('completes a partial profile with healthy defaults, synthetic unless it names a real image', () => {
    const { realImage: _real, ...synthetic } = GUEST_PROFILES.healthyLinux;
    const parsed = parseGuestProfile({ boot: 'kernel-panic' });
    expect(parsed).toEqual({ ...synthetic, boot: 'kernel-panic' });
    expect(parsed.realImage).toBeUndefined();
    expect(parseGuestProfile({ realImage: 'broken-cloud-init' }).realImage).toBe('broken-cloud-init');
  });

  it('rejects values a real guest could not have', () => {
    expect(() => parseGuestProfile({ boot: 'sideways' })).toThrow(/boot must be/);
    expect(() => parseGuestProfile({ identity: 'shared' })).toThrow(/identity/);
    expect(() => parseGuestProfile({ leftovers: ['../../etc/passwd'] })).toThrow(/\.\./);
    expect(() => parseGuestProfile({ buildUser: 'a b' })).toThrow(/buildUser/);
    expect(() => parseGuestProfile({ bootSeconds: -1 })).toThrow(/bootSeconds/);
    expect(() => parseGuestProfile([])).toThrow(/object/);
    expect(() => parseGuestProfile({ realImage: 'ubuntu' })).toThrow(/realImage must be one of generalized/);
    expect(() => parseGuestProfile({ provisioningAgent: 'none' })).toThrow(/provisioningAgent/);
  });
});
