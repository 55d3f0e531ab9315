import type { FaultRule } from '../../../local/arm-sim';
import { GALLERY, RG, VRG, createVm, rawRequest, startHarness, versionId, type Harness } from './sim-harness';

const API = 'api-version=2025-03-03';
const versionPath = `${versionId('ubuntu-healthy')}?${API}`;

async function statusSequence(seed: number, rules: FaultRule[], n: number): Promise<number[]> {
  const h = await startHarness({ seed, faults: rules });
  try {
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) statuses.push((await rawRequest(h.sim, 'GET', versionPath)).status);
    return statuses;
  } finally {
    await h.sim.close();
  }
}

describe('ARM simulator: fault injection', () => {
  const rateRule: FaultRule[] = [
    { operation: 'Microsoft.Compute/galleries/images/versions/read', kind: 'server-error', rate: 0.5 },
  ];

  it('repeats the same fault schedule for the same seed', async () => {
    const first = await statusSequence(7, rateRule, 24);
    const again = await statusSequence(7, rateRule, 24);
    const other = await statusSequence(8, rateRule, 24);
    expect(again).toEqual(first);
    expect(first).toEqual(expect.arrayContaining([200, 500]));
    expect(other).not.toEqual(first);
  });

  describe('through the SDK', () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness();
    });
    afterAll(async () => {
      await h.sim.close();
    });
    beforeEach(() => {
      h.sim.setFaults([]);
      h.sim.resetOperationCounts();
    });

    it('throttles the Nth call with 429 + Retry-After, which the SDK retries; counts stay exact', async () => {
      h.sim.setFaults([
        {
          operation: 'Microsoft.Compute/galleries/images/versions/read',
          kind: 'throttle',
          nthCall: 2,
          retryAfterSeconds: 0,
        },
      ]);
      const raw1 = await rawRequest(h.sim, 'GET', versionPath);
      const raw2 = await rawRequest(h.sim, 'GET', versionPath);
      expect(raw1.status).toBe(200);
      expect(raw2.status).toBe(429);
      expect(raw2.headers['retry-after']).toBe('0');
      expect(raw2.body).toMatchObject({ error: { code: 'TooManyRequests' } });

      h.sim.setFaults([
        {
          operation: 'Microsoft.Compute/galleries/images/versions/read',
          kind: 'throttle',
          nthCall: 1,
          retryAfterSeconds: 0,
        },
      ]);
      h.sim.resetOperationCounts();
      const version = await h.clients.compute.galleryImageVersions.get(
        RG,
        GALLERY,
        'ubuntu-healthy',
        '1.0.0',
      );
      expect(version.name).toBe('1.0.0');
      expect(h.sim.operationCounts()).toEqual({
        total: 2,
        byOperation: { 'Microsoft.Compute/galleries/images/versions/read': 2 },
        linkedAccess: {},
      });
      expect(h.sim.faults().fired).toBe(1);
    });

    it('answers a quota fault on a VM write with OperationNotAllowed and a capacity fault with a failed LRO', async () => {
      h.sim.setFaults([{ operation: 'Microsoft.Compute/virtualMachines/write', kind: 'quota', nthCall: 1 }]);
      await expect(createVm(h, { imageReferenceId: versionId('ubuntu-healthy') })).rejects.toMatchObject({
        code: 'OperationNotAllowed',
        statusCode: 409,
      });
      h.sim.setFaults([{ operation: 'Microsoft.Compute/virtualMachines/write', kind: 'capacity' }]);
      const vm = await createVm(h, { imageReferenceId: versionId('ubuntu-healthy') });
      await expect(vm.done()).rejects.toThrow(/AllocationFailed/);
      const view = await h.clients.compute.virtualMachines.instanceView(VRG, vm.name);
      expect(view.statuses?.[0]?.code).toBe('ProvisioningState/failed/AllocationFailed');
      h.sim.setFaults([{ operation: 'Microsoft.Compute/virtualMachines/write', kind: 'sku-not-available' }]);
      await expect(createVm(h, { imageReferenceId: versionId('ubuntu-healthy') })).rejects.toMatchObject({
        code: 'SkuNotAvailable',
      });
    });

    it('hangs a request until the client gives up, and keeps a hung LRO InProgress', async () => {
      h.sim.setFaults([{ operation: 'Microsoft.Compute/galleries/read', kind: 'hang' }]);
      await expect(
        h.clients.compute.galleries.get(RG, GALLERY, { abortSignal: AbortSignal.timeout(300) }),
      ).rejects.toMatchObject({ name: 'AbortError' });

      h.sim.setFaults([{ operation: 'Microsoft.Compute/galleries/images/versions/write', kind: 'lro-hang' }]);
      // Another version: a hung write leaves its version Updating, which refuses further writes.
      const started = await rawRequest(h.sim, 'PATCH', `${versionId('ubuntu-cloned')}?${API}`, {
        body: { tags: { a: 'b' } },
      });
      expect(started.status).toBe(200);
      const poll = String(started.headers['azure-asyncoperation']).replace(h.sim.endpoint, '');
      h.sim.advanceClock(3600);
      const status = await rawRequest(h.sim, 'GET', poll);
      expect(status.body).toMatchObject({ status: 'InProgress' });
    });

    it('fails an LRO on request and reports it through the poller', async () => {
      h.sim.setFaults([
        { operation: 'Microsoft.Compute/galleries/images/versions/write', kind: 'lro-failed', nthCall: 1 },
      ]);
      await expect(
        h.clients.compute.galleryImageVersions.beginUpdateAndWait(
          RG,
          GALLERY,
          'ubuntu-healthy',
          '1.0.0',
          { tags: { x: 'y' } },
          h.poll,
        ),
      ).rejects.toThrow(/InternalExecutionError/);
      const version = await h.clients.compute.galleryImageVersions.get(
        RG,
        GALLERY,
        'ubuntu-healthy',
        '1.0.0',
      );
      expect(version.provisioningState).toBe('Failed');
    });

    it('counts linked access checks when a NIC joins a subnet and a VM uses a NIC and an image', async () => {
      const vm = await createVm(h, { imageReferenceId: versionId('ubuntu-healthy') });
      await vm.done();
      const counts = h.sim.operationCounts();
      expect(counts.byOperation['Microsoft.Network/networkInterfaces/write']).toBe(1);
      expect(counts.byOperation['Microsoft.Compute/virtualMachines/write']).toBe(1);
      expect(counts.linkedAccess).toEqual({
        'Microsoft.Compute/disks/write': 1,
        'Microsoft.Compute/galleries/images/versions/read': 1,
        'Microsoft.Network/networkInterfaces/join/action': 1,
        'Microsoft.Network/virtualNetworks/subnets/join/action': 1,
      });
      expect(h.sim.requiredActions()).toEqual(
        expect.arrayContaining([
          'Microsoft.Compute/locations/operations/read',
          'Microsoft.Network/locations/operations/read',
        ]),
      );
      const sum = Object.values(counts.byOperation).reduce((a, b) => a + b, 0);
      expect(counts.total).toBe(sum);
    });
  });
});
