import { DEMO } from '../../local/arm-sim';
import { createArmClients } from '../../shared/azure/arm-clients';
import { RUN_TABLE } from '../../shared/ledger';
import { eventually } from '../support/eventually';
import { SUBNETS, startValidationHarness, type ValidationHarness } from './validation-harness';
import { localCredential } from '../../local/azure/local-token-credential';

let h: ValidationHarness;

beforeAll(async () => {
  h = await startValidationHarness();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

async function runCount(): Promise<number> {
  let n = 0;
  for await (const _row of h.stack.table(RUN_TABLE).listEntities()) n++;
  return n;
}

describe('validation timers', () => {
  it('the missed-event sweep queues a run for every recent version that has none, once', async () => {
    await h.stack.services.ledger.ensureTable();
    expect(await runCount()).toBe(0);
    await h.stack.runner.triggerTimer('validation-missed-event-sweep');
    expect(await runCount()).toBe(6);
    await h.stack.runner.triggerTimer('validation-missed-event-sweep');
    expect(await runCount()).toBe(6);
    // The swept runs validate like any other and end with nothing left behind.
    await h.finalRun('ubuntu-healthy', 60_000);
    for (const image of ['ubuntu-cloned', 'windows-specialized']) await h.finalRun(image, 60_000);
  }, 120_000);

  it('the orphan sweeper deletes expired validation resources and nothing else', async () => {
    const { network } = createArmClients(
      { arm: { endpoint: h.sim.endpoint, caCertPath: h.sim.caCertPath, pollIntervalMs: 20 } },
      DEMO.subscriptionId,
      localCredential,
    );
    const rg = DEMO.validationResourceGroup;
    const nic = (name: string, expiresAt: string) =>
      network.networkInterfaces.beginCreateOrUpdateAndWait(rg, name, {
        location: 'eastus',
        tags: { 'gg-purpose': 'validation', 'gg-expires-at': expiresAt },
        ipConfigurations: [{ name: 'ip', subnet: { id: SUBNETS.eastus } }],
      });
    await nic('orphan-expired-nic', '2000-01-01T00:00:00.000Z');
    await nic('orphan-current-nic', '2999-01-01T00:00:00.000Z');
    await network.networkInterfaces.beginCreateOrUpdateAndWait(rg, 'someone-elses-nic', {
      location: 'eastus',
      ipConfigurations: [{ name: 'ip', subnet: { id: SUBNETS.eastus } }],
    });
    await h.stack.runner.triggerTimer('validation-orphan-sweeper');
    const names = await eventually(
      async () => {
        const left: string[] = [];
        for await (const n of network.networkInterfaces.list(rg)) left.push(n.name ?? '');
        return left.includes('orphan-expired-nic') ? undefined : left;
      },
      { what: 'the expired NIC to be deleted' },
    );
    expect(names).toEqual(expect.arrayContaining(['orphan-current-nic', 'someone-elses-nic']));
  });
});
