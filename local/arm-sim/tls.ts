import { generate } from 'selfsigned';

export interface SimCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

/**
 * A certificate generated at start, valid for 127.0.0.1 and localhost. It is its own CA: clients trust
 * it through the SDK's `tlsOptions.ca` (or NODE_EXTRA_CA_CERTS), because the SDK refuses bearer
 * tokens over plain http.
 */
export async function generateCertificate(): Promise<SimCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(Date.now() + 30 * 24 * 3600_000);
  const result = await generate([{ name: 'commonName', value: 'gallery-guard ARM simulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { certPem: result.cert, keyPem: result.private };
}
