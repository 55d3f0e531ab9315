import { TableClient, TableServiceClient } from '@azure/data-tables';
import { startValidationHarness, type ValidationHarness } from './validation-harness';

let h: ValidationHarness;
/** Every credential the engine sent to ARM, captured where the simulator stores the VM. */
const sent: string[] = [];

beforeAll(async () => {
  h = await startValidationHarness({ env: { GG_LOG_LEVEL: 'debug' } });
  const store = h.sim.sim.store;
  const put = store.put.bind(store);
  store.put = (resource, origin) => {
    const osProfile = resource.properties.osProfile as
      | { adminPassword?: string; linuxConfiguration?: { ssh?: { publicKeys?: { keyData?: string }[] } } }
      | undefined;
    if (typeof osProfile?.adminPassword === 'string') sent.push(osProfile.adminPassword);
    for (const key of osProfile?.linuxConfiguration?.ssh?.publicKeys ?? []) {
      if (typeof key.keyData === 'string') sent.push(key.keyData.split(' ')[1] ?? key.keyData);
    }
    return put(resource, origin);
  };
  for (const image of ['ubuntu-healthy', 'windows-healthy']) await h.publish(image);
  for (const image of ['ubuntu-healthy', 'windows-healthy']) await h.finalRun(image);
}, 120_000);

afterAll(async () => {
  await h?.close();
});

describe('secrets of validation VMs', () => {
  it('generates a credential per generalized VM', () => {
    // Two Linux VMs (one key each) and two Windows VMs (one password each), all different.
    expect(sent.length).toBeGreaterThanOrEqual(4);
    expect(new Set(sent).size).toBe(sent.length);
  });

  it('never writes a credential or private key to any Table row', async () => {
    const connection = h.stack.azurite.connectionString;
    const service = TableServiceClient.fromConnectionString(connection, { allowInsecureConnection: true });
    let rows = 0;
    for await (const table of service.listTables()) {
      const client = TableClient.fromConnectionString(connection, table.name!, {
        allowInsecureConnection: true,
      });
      for await (const row of client.listEntities()) {
        rows++;
        const text = JSON.stringify(row);
        for (const secret of sent) expect(text).not.toContain(secret);
        expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----|"adminPassword"/);
      }
    }
    expect(rows).toBeGreaterThan(10);
  });

  it('never writes a credential or private key to the logs', () => {
    const text = h.stack.logs.map((l) => JSON.stringify(l)).join('\n');
    expect(h.stack.logs.length).toBeGreaterThan(20);
    for (const secret of sent) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/-----BEGIN [A-Z ]*PRIVATE KEY-----|"adminPassword"/);
  });
});
