import {
  ephemeralPassword,
  ephemeralSshPublicKey,
} from '../../../../shared/validation/vm/ephemeral-credentials';

describe('ephemeral credentials', () => {
  it('produces an OpenSSH ed25519 public key, different each time', () => {
    const a = ephemeralSshPublicKey();
    expect(a).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5[A-Za-z0-9+/=]+ gallery-guard-validation$/);
    expect(ephemeralSshPublicKey()).not.toBe(a);
  });

  it('produces passwords that meet Azure complexity rules', () => {
    for (let i = 0; i < 50; i++) {
      const p = ephemeralPassword();
      expect(p).toHaveLength(24);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
    }
  });
});
