import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../shared/config';
import { ArmCallLimiter } from '../../../shared/azure/arm-call-limiter';
import { ArmClientFactory, createArmClients } from '../../../shared/azure/arm-clients';
import { LocalStaticTokenCredential, localCredential } from '../../../local/azure/local-token-credential';

const caPath = join(mkdtempSync(join(tmpdir(), 'gg-ca-')), 'ca.pem');
writeFileSync(caPath, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const arm = { endpoint: 'https://127.0.0.1:8443', caCertPath: caPath, pollIntervalMs: 25 };

describe('createArmClients', () => {
  it('builds Compute and Network clients for the configured endpoint with the configured poll interval', () => {
    const clients = createArmClients({ arm }, '00000000-0000-0000-0000-000000000001', localCredential);
    expect(clients.subscriptionId).toBe('00000000-0000-0000-0000-000000000001');
    expect(clients.pollOptions).toEqual({ updateIntervalInMs: 25 });
    expect(clients.network.$host).toBe('https://127.0.0.1:8443');
    expect(typeof clients.compute.galleryImageVersions.get).toBe('function');
  });

  it('names GG_ARM_CA_CERT_PATH when the CA file cannot be read', () => {
    const build = () =>
      createArmClients(
        { arm: { endpoint: 'https://127.0.0.1:1', caCertPath: '/nonexistent/ca.pem', pollIntervalMs: 1 } },
        's',
        localCredential,
      );
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/GG_ARM_CA_CERT_PATH/);
  });

  it('uses a static local token only offline (the token lives in local/)', async () => {
    const token = await new LocalStaticTokenCredential().getToken();
    expect(token.token).toBe('gallery-guard-local-simulator');
    expect(token.expiresOnTimestamp).toBeGreaterThan(Date.now());
  });
});

describe('ArmClientFactory', () => {
  it('builds one set of clients per subscription, ids compared case-insensitively, with one credential', () => {
    let credentials = 0;
    const factory = new ArmClientFactory(
      { arm },
      () => {
        credentials++;
        return localCredential;
      },
      new ArmCallLimiter(),
    );
    const a = factory.clients('AAAA-1');
    expect(factory.clients('aaaa-1')).toBe(a);
    expect(factory.compute('AAAA-1')).toBe(a.compute);
    expect(factory.clients('bbbb-2')).not.toBe(a);
    expect(credentials).toBe(2);
    expect(factory.ca).toContain('BEGIN CERTIFICATE');
  });
});
