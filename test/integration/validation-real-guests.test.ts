import { readFileSync } from 'node:fs';
import { createArmClients } from '../../shared/azure/arm-clients';
import { readProgress } from '../../shared/validation/run/validation-state';
import { localCredential } from '../../local/azure/local-token-credential';
import { DEMO } from '../../local/arm-sim';
import { describeWithRealGuests, IMAGE_BUILD_TIMEOUT_MS, prepareRealGuests } from '../support/real-guests';
import { startValidationHarness, versionIdOf, type ValidationHarness } from './validation-harness';
import { INVENTORY_TABLE, InventoryStore } from '../../shared/inventory/inventory-store';

jest.setTimeout(300_000);

const BROKEN = '1.1.0';
const HOST_MACHINE_ID = ((): string => {
  try {
    return readFileSync('/etc/machine-id', 'utf8').trim();
  } catch {
    return 'the host has none';
  }
})();
/** An owner check script: exits 0 only inside a guest whose own machine-id is not the host's. */
const OWNER_SCRIPTS = JSON.stringify({
  'own-identity': {
    osType: 'Linux',
    script: `hostname; cat /etc/machine-id; test "$(cat /etc/machine-id)" != "${HOST_MACHINE_ID}"`,
  },
});

describeWithRealGuests('validation end to end on real Debian guests (cloud-init, waagent, OpenSSH)', () => {
  let h: ValidationHarness;
  const runs: Record<string, Record<string, unknown>> = {};
  const state = (key: string) => readProgress(runs[key] as Record<string, string>).state;
  const check = (key: string, name: string) => state(key).checks.filter((c) => c.name === name);

  beforeAll(async () => {
    await prepareRealGuests();
    h = await startValidationHarness({ guests: 'real', env: { GG_CHECK_SCRIPTS: OWNER_SCRIPTS } });
    const clients = createArmClients(
      { arm: { endpoint: h.sim.endpoint, caCertPath: h.sim.caCertPath, pollIntervalMs: 5 } },
      DEMO.subscriptionId,
      localCredential,
    );
    // The owner asks for their script on the healthy image's definition.
    const definition = await clients.compute.galleryImages.get(
      DEMO.resourceGroup,
      DEMO.gallery,
      'ubuntu-healthy',
    );
    await clients.compute.galleryImages.beginUpdateAndWait(
      DEMO.resourceGroup,
      DEMO.gallery,
      'ubuntu-healthy',
      { tags: { ...definition.tags, 'gg-check-scripts': 'own-identity' } },
      clients.pollOptions,
    );
    // A new version of the healthy image whose cloud-init configuration is broken.
    await clients.compute.galleryImageVersions.beginCreateOrUpdateAndWait(
      DEMO.resourceGroup,
      DEMO.gallery,
      'ubuntu-healthy',
      BROKEN,
      {
        location: 'eastus',
        publishingProfile: { targetRegions: DEMO.regions.map((name) => ({ name })) },
        storageProfile: { source: { id: `${versionIdOf('ubuntu-healthy')}` } },
      },
      clients.pollOptions,
    );
    h.sim.setGuestProfile(versionIdOf('ubuntu-healthy', BROKEN), { realImage: 'broken-cloud-init' });

    await h.publish('ubuntu-healthy');
    await h.publish('ubuntu-cloned');
    await h.publish('ubuntu-healthy', BROKEN);
    await h.publish('ubuntu-agent-stuck');
    runs.generalized = await h.finalRun('ubuntu-healthy', 240_000);
    runs.captured = await h.finalRun('ubuntu-cloned', 240_000);
    runs.broken = await h.finalRun('ubuntu-healthy', 240_000, BROKEN);
    runs.noAgent = await h.finalRun('ubuntu-agent-stuck', 240_000);
  }, IMAGE_BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await h?.close();
  });

  it('passes the generalized image: provisioned, unique identities, no leftovers, the owner script ran in the guest', () => {
    expect(h.sim.guestSupport.mode).toBe('real');
    const failed = state('generalized').checks.filter((c) => c.status === 'Failed');
    expect(failed).toEqual([]);
    expect(runs.generalized?.state).toBe('Passed');
    for (const name of ['provisioning-agent', 'hostname', 'leftover-secrets', 'owner-script:own-identity']) {
      expect(check('generalized', name).map((c) => c.status)).toEqual(['Passed', 'Passed']);
    }
    expect(check('generalized', 'machine-id-unique')[0]?.status).toBe('Passed');
    expect(check('generalized', 'ssh-host-keys-unique')[0]?.status).toBe('Passed');
  });

  it('fails the image captured without deprovisioning on what real cloud-init leaves: machine-id and shell history', () => {
    expect(runs.captured?.state).toBe('Failed');
    expect(check('captured', 'machine-id-unique')[0]).toMatchObject({ status: 'Failed' });
    const leftovers = check('captured', 'leftover-secrets');
    expect(leftovers.map((c) => c.status)).toEqual(['Failed', 'Failed']);
    expect(leftovers[0]?.evidence).toContain('root/.bash_history');
    expect(leftovers[0]?.evidence).toContain('home/builder/.bash_history');
    expect(leftovers[0]?.evidence).not.toContain('root/.ssh/authorized_keys');
    // cloud-init regenerates host keys and sets the hostname for every new instance id.
    expect(check('captured', 'ssh-host-keys-unique')[0]?.status).toBe('Passed');
    expect(check('captured', 'hostname').map((c) => c.status)).toEqual(['Passed', 'Passed']);
  });

  it('fails the broken cloud-init configuration on provisioning-agent with cloud-init’s own error', () => {
    expect(runs.broken?.state).toBe('Failed');
    const agent = check('broken', 'provisioning-agent');
    expect(agent.map((c) => c.status)).toEqual(['Failed', 'Failed']);
    expect(agent[0]?.evidence).toContain("('write-files', OSError('Unknown user or group:");
    expect(agent[0]?.evidence).toMatch(/getpwnam\(\): name not found: 'app'/);
  });

  it('fails the image without a provisioning agent: the VM never reports provisioned', () => {
    expect(runs.noAgent?.state).toBe('Failed');
    expect(check('noAgent', 'guest-agent').map((c) => c.status)).toEqual(['Failed', 'Failed']);
    expect(check('noAgent', 'guest-agent')[0]?.evidence).toContain('OSProvisioningTimedOut');
  });

  it('stores the real inventory of the generalized image: dpkg database, enabled units, cloud-init timings', async () => {
    const store = new InventoryStore(h.stack.table(INVENTORY_TABLE));
    const stored = await store.latest(versionIdOf('ubuntu-healthy'), 'eastus');
    const inventory = stored?.inventory;
    expect(inventory?.os).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(inventory?.packages.manager).toBe('dpkg');
    // debootstrap --variant=minbase plus cloud-init, waagent, OpenSSH...: every package, listed.
    expect(inventory?.packages.count).toBeGreaterThan(150);
    expect(Object.keys(inventory?.packages.list ?? {})).toEqual(
      expect.arrayContaining(['cloud-init', 'waagent', 'openssh-server', 'systemd']),
    );
    expect(inventory?.services).toEqual(expect.arrayContaining(['ssh', 'walinuxagent', 'cloud-init']));
    // No daemon runs in the guest's own network namespace: nothing listens.
    expect(inventory?.ports).toEqual([]);
    expect(inventory?.boot.source).toBe('cloud-init');
    expect(inventory?.boot.seconds).toBeGreaterThan(0);
  });

  it('deletes every VM it created, and with them the guests', () => {
    expect(h.liveValidationResources()).toEqual([]);
    expect(h.sim.guests()).toEqual([]);
  });
});
