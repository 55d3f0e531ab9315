import { GUEST_PROFILES, parseGuestProfile } from '../../../../local/arm-sim/guest/guest-profile';

describe('parseGuestProfile', () => {
  it('completes a partial profile with healthy defaults', () => {
    expect(parseGuestProfile({ boot: 'kernel-panic' })).toEqual({
      ...GUEST_PROFILES.healthyLinux,
      boot: 'kernel-panic',
    });
  });

  it('rejects values a real guest could not have', () => {
    expect(() => parseGuestProfile({ boot: 'sideways' })).toThrow(/boot must be/);
    expect(() => parseGuestProfile({ identity: 'shared' })).toThrow(/identity/);
    expect(() => parseGuestProfile({ leftovers: ['../../etc/passwd'] })).toThrow(/\.\./);
    expect(() => parseGuestProfile({ buildUser: 'a b' })).toThrow(/buildUser/);
    expect(() => parseGuestProfile({ bootSeconds: -1 })).toThrow(/bootSeconds/);
    expect(() => parseGuestProfile([])).toThrow(/object/);
  });
});
