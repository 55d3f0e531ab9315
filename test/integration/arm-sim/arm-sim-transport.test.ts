import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO } from '../../../local/arm-sim';
import {
  GALLERY,
  RG,
  SUB,
  VRG,
  createVm,
  download,
  eventually,
  rawRequest,
  startHarness,
  subnetId,
  versionId,
  type Harness,
} from './sim-harness';

const API = 'api-version=2025-03-03';

describe('ARM simulator: transport, network resources and admin API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.close();
  });

  it('speaks ARM on the wire: auth, api-version, case-insensitive ids, error shape, rate-limit headers', async () => {
    const path = `${versionId('ubuntu-healthy')}?${API}`;
    expect(await rawRequest(h.sim, 'GET', path, { auth: false })).toMatchObject({
      status: 401,
      body: { error: { code: 'AuthenticationFailed' } },
    });
    expect(await rawRequest(h.sim, 'GET', versionId('ubuntu-healthy'))).toMatchObject({
      status: 400,
      body: { error: { code: 'MissingApiVersionParameter' } },
    });
    const upper = await rawRequest(h.sim, 'GET', `${versionId('ubuntu-healthy').toUpperCase()}?${API}`);
    expect(upper.status).toBe(200);
    expect(upper.body).toMatchObject({ id: versionId('ubuntu-healthy') });
    expect(upper.headers['x-ms-ratelimit-remaining-subscription-reads']).toMatch(/^\d+$/);
    expect(upper.headers['x-ms-ratelimit-remaining-resource']).toMatch(
      /^Microsoft\.Compute\/GalleryRequests3Min;\d+,/,
    );
    expect(upper.headers['x-ms-request-id']).toBeDefined();
    expect(
      await rawRequest(
        h.sim,
        'GET',
        `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/missing?${API}`,
      ),
    ).toMatchObject({
      status: 404,
      body: { error: { code: 'ResourceNotFound' } },
    });
    expect(
      await rawRequest(
        h.sim,
        'GET',
        `/subscriptions/${SUB}/resourceGroups/nope/providers/Microsoft.Compute/galleries?${API}`,
      ),
    ).toMatchObject({
      status: 404,
      body: { error: { code: 'ResourceGroupNotFound' } },
    });
  });

  it('serves the seeded validation network through @azure/arm-network and refuses to delete a NIC in use', async () => {
    const vnet = await h.clients.network.virtualNetworks.get(VRG, 'vnet-gg-validation-westeurope');
    expect(vnet.location).toBe('westeurope');
    expect(vnet.subnets?.map((s) => s.name)).toEqual(['validation']);
    const subnet = await h.clients.network.subnets.get(VRG, 'vnet-gg-validation-eastus', 'validation');
    expect(subnet.id).toBe(subnetId('eastus'));
    expect(subnet.networkSecurityGroup?.id).toMatch(/nsg-gg-validation-eastus$/);
    const nsg = await h.clients.network.networkSecurityGroups.get(VRG, 'nsg-gg-validation-eastus');
    expect(nsg.securityRules?.[0]).toMatchObject({
      access: 'Deny',
      direction: 'Inbound',
      sourceAddressPrefix: '*',
    });

    const vm = await createVm(h, { imageReferenceId: versionId('ubuntu-healthy') });
    const nics = [];
    for await (const nic of h.clients.network.networkInterfaces.list(VRG)) nics.push(nic);
    const nic = nics.find((n) => n.name === `${vm.name}-nic`);
    expect(nic?.ipConfigurations?.[0]?.privateIPAddress).toMatch(/^10\.0\./);
    expect(nic?.virtualMachine?.id).toMatch(new RegExp(`${vm.name}$`));
    await expect(
      h.clients.network.networkInterfaces.beginDeleteAndWait(VRG, `${vm.name}-nic`, h.poll),
    ).rejects.toMatchObject({
      code: 'NicInUse',
    });
    await vm.done();
    await h.clients.compute.virtualMachines.beginDeleteAndWait(VRG, vm.name, h.poll);
    await expect(h.clients.network.networkInterfaces.get(VRG, `${vm.name}-nic`)).rejects.toMatchObject({
      statusCode: 404,
    });
  });

  it('keeps OS disk and NIC whose deleteOption is Detach, so orphan checks can see them', async () => {
    const nic = await h.clients.network.networkInterfaces.beginCreateOrUpdateAndWait(
      VRG,
      'keep-nic',
      { location: 'eastus', ipConfigurations: [{ name: 'ip', subnet: { id: subnetId('eastus') } }] },
      h.poll,
    );
    await h.clients.compute.virtualMachines.beginCreateOrUpdateAndWait(
      VRG,
      'keep-vm',
      {
        location: 'eastus',
        hardwareProfile: { vmSize: 'Standard_B2s' },
        storageProfile: { imageReference: { id: versionId('ubuntu-healthy') } },
        osProfile: { computerName: 'keep-vm', adminUsername: 'u', adminPassword: 'P@ss-not-real-1' },
        networkProfile: { networkInterfaces: [{ id: nic.id! }] },
        // B2s offers no Trusted Launch, the default for a Gen2 image since api-version 2025-11-01.
        securityProfile: { securityType: 'Standard' },
      },
      h.poll,
    );
    await h.clients.compute.virtualMachines.beginDeleteAndWait(VRG, 'keep-vm', {
      forceDeletion: true,
      ...h.poll,
    });
    const left = h.sim.liveResources({ origin: 'api' }).filter((r) => /keep-/.test(r.name));
    expect(left.map((r) => r.type).sort()).toEqual([
      'Microsoft.Compute/disks',
      'Microsoft.Network/networkInterfaces',
    ]);
  });

  it('lists resources by tag through the generic resources API', async () => {
    const vm = await createVm(h, {
      imageReferenceId: versionId('ubuntu-healthy'),
      tags: { 'gallery-guard-run': 'run-42' },
    });
    const res = await rawRequest(
      h.sim,
      'GET',
      `/subscriptions/${SUB}/resources?$filter=${encodeURIComponent("tagName eq 'gallery-guard-run' and tagValue eq 'run-42'")}&api-version=2021-04-01`,
    );
    expect(res.body).toMatchObject({ value: [{ name: vm.name, type: 'Microsoft.Compute/virtualMachines' }] });
  });

  it('exposes counts, faults, guest profiles, clock and reset under /_sim', async () => {
    expect(await rawRequest(h.sim, 'GET', '/_sim/health', { auth: false })).toMatchObject({
      status: 200,
      body: { status: 'ok', timeScale: 600 },
    });
    await rawRequest(h.sim, 'DELETE', '/_sim/operations');
    await h.clients.compute.galleries.get(RG, GALLERY);
    expect((await rawRequest(h.sim, 'GET', '/_sim/operations')).body).toEqual({
      total: 1,
      byOperation: { 'Microsoft.Compute/galleries/read': 1 },
      linkedAccess: {},
    });
    const setFaults = await rawRequest(h.sim, 'PUT', '/_sim/faults', {
      body: {
        seed: 3,
        rules: [
          {
            operation: 'Microsoft.Compute/galleries/read',
            kind: 'service-unavailable',
            nthCall: 1,
            retryAfterSeconds: 0,
          },
        ],
      },
    });
    expect(setFaults.body).toMatchObject({ seed: 3, rules: [{ kind: 'service-unavailable' }] });
    expect(
      (
        await rawRequest(
          h.sim,
          'GET',
          `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/${GALLERY}?${API}`,
        )
      ).status,
    ).toBe(503);
    expect(
      (await rawRequest(h.sim, 'PUT', '/_sim/faults', { body: { rules: [{ kind: 'nonsense' }] } })).status,
    ).toBe(400);
    await rawRequest(h.sim, 'DELETE', '/_sim/faults');

    // A version published later gets a guest profile by id: here one that drops into emergency mode.
    await h.clients.compute.galleryImageVersions.beginCreateOrUpdateAndWait(
      RG,
      GALLERY,
      'ubuntu-healthy',
      '2.0.0',
      { location: 'eastus', publishingProfile: { targetRegions: [{ name: 'eastus' }] } },
      h.poll,
    );
    const attach = await rawRequest(h.sim, 'PUT', '/_sim/guest-profiles', {
      body: {
        resourceId: versionId('ubuntu-healthy', '2.0.0'),
        profile: { boot: 'emergency-mode', agentReady: false },
      },
    });
    expect(attach.body).toMatchObject({ boot: 'emergency-mode', agentReady: false, identity: 'fresh' });
    const vm = await createVm(h, { imageReferenceId: versionId('ubuntu-healthy', '2.0.0') });
    const done = vm.done().catch((e: unknown) => String(e));
    await rawRequest(h.sim, 'POST', '/_sim/clock/advance', { body: { seconds: 1200 } });
    expect(await done).toContain('OSProvisioningTimedOut');
    const diag = await h.clients.compute.virtualMachines.retrieveBootDiagnosticsData(VRG, vm.name);
    const log = await download(diag.serialConsoleLogBlobUri!, h.sim.caCertPem);
    expect(log.text).toContain('You are in emergency mode');

    const guests = (await rawRequest(h.sim, 'GET', '/_sim/vms')).body as {
      value: { vmId: string; booted: boolean }[];
    };
    expect(guests.value.find((g) => g.vmId.endsWith(vm.name))).toMatchObject({ booted: true });

    await rawRequest(h.sim, 'POST', '/_sim/reset', { body: { scenario: 'demo' } });
    expect(h.sim.liveResources({ origin: 'api' })).toEqual([]);
    expect(h.sim.operationCounts().total).toBe(0);
    expect(h.sim.liveResources().some((r) => r.name === DEMO.gallery)).toBe(true);
  });
});

describe('ARM simulator: Event Grid webhook', () => {
  it('posts ResourceWriteSuccess and ResourceDeleteSuccess events in Event Grid schema when version writes finish', async () => {
    const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];
    const hook = createServer((req, res) => {
      let text = '';
      req.on('data', (d: Buffer) => (text += d.toString()));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(text) as unknown });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const h = await startHarness({
      eventGridWebhook: { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/events` },
    });
    try {
      await h.clients.compute.galleryImageVersions.beginCreateOrUpdateAndWait(
        RG,
        GALLERY,
        'ubuntu-cloned',
        '1.0.1',
        {
          location: 'eastus',
          publishingProfile: { targetRegions: [{ name: 'eastus' }, { name: 'westeurope' }] },
        },
        h.poll,
      );
      const event = await eventually(async () =>
        Promise.resolve(received.find((r) => JSON.stringify(r.body).includes('1.0.1'))),
      );
      expect(event.headers['aeg-event-type']).toBe('Notification');
      expect(event.body).toEqual([
        expect.objectContaining({
          subject: versionId('ubuntu-cloned', '1.0.1'),
          eventType: 'Microsoft.Resources.ResourceWriteSuccess',
          topic: `/subscriptions/${SUB}`,
          dataVersion: '2',
          data: expect.objectContaining({
            operationName: 'Microsoft.Compute/galleries/images/versions/write',
            resourceUri: versionId('ubuntu-cloned', '1.0.1'),
            status: 'Succeeded',
            subscriptionId: SUB,
          }) as unknown,
        }),
      ]);
      await h.clients.compute.galleryImageVersions.beginDeleteAndWait(
        RG,
        GALLERY,
        'ubuntu-cloned',
        '1.0.1',
        h.poll,
      );
      const deleted = await eventually(async () =>
        Promise.resolve(received.find((r) => JSON.stringify(r.body).includes('ResourceDeleteSuccess'))),
      );
      expect(deleted.body).toMatchObject([
        {
          subject: versionId('ubuntu-cloned', '1.0.1'),
          data: {
            operationName: 'Microsoft.Compute/galleries/images/versions/delete',
            httpRequest: { method: 'DELETE' },
          },
        },
      ]);
    } finally {
      await h.sim.close();
      await new Promise((r) => hook.close(r));
    }
  });
});
