import { generateKeyPairSync, randomBytes, randomInt } from 'node:crypto';

/** Comment on the SSH key gallery-guard gives its admin user: how the guest check script knows it. */
export const VALIDATION_KEY_COMMENT = 'gallery-guard-validation';

/**
 * Per-VM credentials, generated right before the create call and never stored or logged. We never log
 * in: Run Command needs no credentials, so the private key is discarded at once and a retry that finds
 * the VM already created does not need them again.
 */
export function ephemeralSshPublicKey(): string {
  // Ed25519: Azure accepts it for Linux VMs, and it takes microseconds to generate (RSA takes ~100 ms).
  const { publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.x === undefined) throw new Error('Ed25519 public key export returned no key');
  const field = (b: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(Buffer.from(jwk.x, 'base64url'))]);
  return `ssh-ed25519 ${blob.toString('base64')} ${VALIDATION_KEY_COMMENT}`;
}

/** A 24-character password meeting Azure's complexity rules (upper, lower, digit, special). */
export function ephemeralPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!@#%^*-_=+'];
  const chars = sets.map((set) => set[randomInt(set.length)]!);
  const all = sets.join('');
  for (const byte of randomBytes(20)) chars.push(all[byte % all.length]!);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
