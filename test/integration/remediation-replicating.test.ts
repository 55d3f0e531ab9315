/**
 * A version fails validation in the region tested first while its other target region is still
 * replicating: the gallery refuses writes until replication ends (409 OperationNotAllowed), and the
 * quarantine must wait for it rather than spend GG_ACTION_MAX_ATTEMPTS and give up.
 */
import { DEMO } from '../../local/arm-sim';
import { localCredential } from '../../local/azure/local-token-credential';
import { createArmClients } from '../../shared/azure/arm-clients';
import { REMEDIATION_TABLE } from '../../shared/remediation/remediation-ledger';
import { versionStateOf } from '../../shared/remediation/version-state';
import { eventGridWrite } from '../support/event-payloads';
import { GALLERY_ID, SUBNETS, startValidationHarness, type ValidationHarness } from './validation-harness';

const IMAGE = 'ubuntu-kernel-panic';
const VERSION = '2.0.0';
const versionId = `${GALLERY_ID}/images/${IMAGE}/versions/${VERSION}`;
let h: ValidationHarness;

beforeAll(async () => {
  h = await startValidationHarness({
    // 4800 sim-s per region at 300x: eastus is replicated after ~16 s, westeurope ~16 s later.
    sim: { replicationSecondsPerRegion: 4800 },
    env: {
      GG_DEFAULT_MODE: 'quarantine',
      GG_ACTION_MAX_ATTEMPTS: '2',
      // Only eastus is validated; westeurope is a target region still replicating.
      GG_VALIDATION_SUBNETS: JSON.stringify({ eastus: SUBNETS.eastus }),
    },
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
});

it('a quarantine that meets a replicating version waits, then excludes it everywhere', async () => {
  const clients = createArmClients(
    { arm: { endpoint: h.sim.endpoint, caCertPath: h.sim.caCertPath, pollIntervalMs: 5 } },
    DEMO.subscriptionId,
    localCredential,
  );
  await clients.compute.galleryImageVersions.beginCreateOrUpdate(DEMO.resourceGroup, DEMO.gallery, IMAGE, VERSION, {
    location: 'eastus',
    publishingProfile: { targetRegions: [{ name: 'eastus' }, { name: 'westeurope' }] },
    storageProfile: { source: { id: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/b/providers/Microsoft.Compute/virtualMachines/builder` } },
  }); // prettier-ignore
  const response = await h.stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'evt-replicating' }), {
    headers: { 'aeg-event-type': 'Notification' },
  }); // prettier-ignore
  expect(response.status).toBe(200);

  const { eventually } = await import('../support/eventually');
  const done = await eventually(
    async () => {
      const version = await clients.compute.galleryImageVersions.get(DEMO.resourceGroup, DEMO.gallery, IMAGE, VERSION);
      const state = versionStateOf(version);
      return state.excludeFromLatest && state.endOfLifeDate !== undefined ? { version, state } : undefined;
    },
    { timeoutMs: 150_000, intervalMs: 500, what: 'the replicating version quarantined' },
  ); // prettier-ignore
  expect(done.state.regions).toEqual([
    { name: 'East US', excludeFromLatest: true },
    { name: 'West Europe', excludeFromLatest: true },
  ]);
  // It had to wait: the verdict came before westeurope finished replicating.
  const rows = [];
  for await (const row of h.stack.table(REMEDIATION_TABLE).listEntities<Record<string, unknown>>())
    rows.push(row);
  const exclude = rows.find((r) => String(r.rowKey).includes('exclude-from-latest'));
  expect(exclude).toMatchObject({ status: 'Applied' });
  expect(Number(exclude?.attempts)).toBeLessThanOrEqual(2);
  expect(rows.some((r) => r.status === 'Failed')).toBe(false);
}, 180_000);
