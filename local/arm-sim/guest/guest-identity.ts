import { generateKeyPair, randomBytes, randomInt } from 'node:crypto';
import { promisify } from 'node:util';

const generate = promisify(generateKeyPair);

/** What makes a machine itself: the facts a cloned image repeats in every VM. */
export interface GuestIdentity {
  readonly hostName: string;
  readonly machineId: string;
  readonly hostKeys: { readonly ed25519: string; readonly rsa: string; readonly ecdsa: string };
  readonly machineSid: string;
}

const sshString = (data: Buffer | string): Buffer => {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
};

// SSH mpint: big-endian, with a leading zero byte when the high bit is set.
const mpint = (b64url: string): Buffer => {
  const raw = Buffer.from(b64url, 'base64url');
  return sshString(raw[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
};

interface Jwk {
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** Real OpenSSH public key lines, as /etc/ssh/ssh_host_*_key.pub holds them. */
export async function generateHostKeys(comment: string): Promise<GuestIdentity['hostKeys']> {
  const [ed, rsa, ec] = await Promise.all([
    generate('ed25519'),
    generate('rsa', { modulusLength: 2048 }),
    generate('ec', { namedCurve: 'prime256v1' }),
  ]);
  const edJwk = ed.publicKey.export({ format: 'jwk' }) as Jwk;
  const rsaJwk = rsa.publicKey.export({ format: 'jwk' }) as Jwk;
  const ecJwk = ec.publicKey.export({ format: 'jwk' }) as Jwk;
  const line = (type: string, blob: Buffer): string => `${type} ${blob.toString('base64')} ${comment}`;
  return {
    ed25519: line(
      'ssh-ed25519',
      Buffer.concat([sshString('ssh-ed25519'), sshString(Buffer.from(edJwk.x!, 'base64url'))]),
    ),
    rsa: line('ssh-rsa', Buffer.concat([sshString('ssh-rsa'), mpint(rsaJwk.e!), mpint(rsaJwk.n!)])),
    ecdsa: line(
      'ecdsa-sha2-nistp256',
      Buffer.concat([
        sshString('ecdsa-sha2-nistp256'),
        sshString('nistp256'),
        sshString(
          Buffer.concat([
            Buffer.from([4]),
            Buffer.from(ecJwk.x!, 'base64url'),
            Buffer.from(ecJwk.y!, 'base64url'),
          ]),
        ),
      ]),
    ),
  };
}

export function newMachineSid(): string {
  const part = (): number => randomInt(1, 2 ** 32 - 1);
  return `S-1-5-21-${part()}-${part()}-${part()}`;
}

/** A new machine identity; Windows guests have no SSH host keys to generate. */
export async function newIdentity(hostName: string, withSshHostKeys = true): Promise<GuestIdentity> {
  return {
    hostName,
    machineId: randomBytes(16).toString('hex'),
    hostKeys: withSshHostKeys
      ? await generateHostKeys(`root@${hostName}`)
      : { ed25519: '', rsa: '', ecdsa: '' },
    machineSid: newMachineSid(),
  };
}
