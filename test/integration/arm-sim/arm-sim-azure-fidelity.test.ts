/**
 * Where the simulator follows Azure's documented control-plane behaviour rather than being lenient:
 * api-versions per resource type, the subscription-scope gallery list, writes refused while a version
 * replicates, the securityType default per api-version and Compute's per-VM throttling.
 */
import { GALLERY, RG, VRG, createVm, rawRequest, startHarness, versionId, type Harness } from './sim-harness';

const SUB_PATH = (h: Harness): string => `/subscriptions/${h.clients.subscriptionId}`;

describe('ARM simulator: fidelity to Azure', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.close();
  });
  beforeEach(async () => {
    await h.sim.reset();
  });

  describe('api-version', () => {
    it('refuses a version the resource type does not support, listing the supported ones', async () => {
      const gallery = `${SUB_PATH(h)}/resourceGroups/${RG}/providers/Microsoft.Compute/galleries/${GALLERY}`;
      const wrong = await rawRequest(h.sim, 'GET', `${gallery}?api-version=2022-08-01`);
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({ error: { code: 'NoRegisteredProviderFound' } });
      const message = (wrong.body as { error: { message: string } }).error.message;
      expect(message).toContain("API version '2022-08-01' for type 'galleries'");
      expect(message).toContain('2025-03-03');

      // A Compute VM version is not a gallery version, and the other way round.
      const vms = `${SUB_PATH(h)}/resourceGroups/${VRG}/providers/Microsoft.Compute/virtualMachines`;
      expect((await rawRequest(h.sim, 'GET', `${vms}?api-version=2025-03-03`)).status).toBe(400);
      expect((await rawRequest(h.sim, 'GET', `${vms}?api-version=2026-03-01`)).status).toBe(200);
      expect((await rawRequest(h.sim, 'GET', `${gallery}?api-version=2026-03-01`)).status).toBe(400);

      const malformed = await rawRequest(h.sim, 'GET', `${gallery}?api-version=latest`);
      expect(malformed.body).toMatchObject({ error: { code: 'InvalidApiVersionParameter' } });
      const group = await rawRequest(
        h.sim,
        'GET',
        `${SUB_PATH(h)}/resourcegroups/${RG}?api-version=2099-01-01`,
      );
      expect(group).toMatchObject({ status: 400, body: { error: { code: 'InvalidApiVersionParameter' } } });
    });

    it('accepts every api-version the SDKs gallery-guard uses send', async () => {
      await expect(h.clients.compute.galleries.get(RG, GALLERY)).resolves.toMatchObject({ name: GALLERY });
      const vms = [];
      for await (const vm of h.clients.compute.virtualMachines.list(VRG)) vms.push(vm);
      expect(vms).toEqual([]);
      const nics = [];
      for await (const nic of h.clients.network.networkInterfaces.list(VRG)) nics.push(nic);
      expect(nics).toEqual([]);
    });
  });

  it('lists the galleries of a subscription (subscription-scope list)', async () => {
    const names = [];
    for await (const g of h.clients.compute.galleries.list()) names.push(g.name);
    expect(names).toEqual([GALLERY]);
  });

  describe('image version writes', () => {
    const putVersion = (version: string, endOfLifeDate?: Date) =>
      h.clients.compute.galleryImageVersions.beginCreateOrUpdate(
        RG,
        GALLERY,
        'ubuntu-healthy',
        version,
        {
          location: 'eastus',
          publishingProfile: {
            targetRegions: [{ name: 'eastus' }, { name: 'westeurope' }],
            ...(endOfLifeDate ? { endOfLifeDate } : {}),
          },
          storageProfile: { source: { id: `${SUB_PATH(h)}/resourceGroups/b/providers/Microsoft.Compute/virtualMachines/builder` } },
        },
        h.poll,
      ); // prettier-ignore

    it('refuses a PATCH while replication is in progress (409 OperationNotAllowed), accepts it after', async () => {
      await putVersion('2.0.0');
      h.sim.advanceClock(150); // eastus done, westeurope still replicating
      const during = await h.clients.compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-healthy', '2.0.0');
      expect(during.provisioningState).toBe('Creating');
      const patch = () =>
        h.clients.compute.galleryImageVersions.update(
          RG,
          GALLERY,
          'ubuntu-healthy',
          '2.0.0',
          { publishingProfile: { excludeFromLatest: true } },
          h.poll,
        );
      await expect(patch()).rejects.toMatchObject({ statusCode: 409, code: 'OperationNotAllowed' });
      h.sim.advanceClock(200);
      await expect(patch()).resolves.toMatchObject({ publishingProfile: { excludeFromLatest: true } });
    });

    it('ignores a null endOfLifeDate in a PATCH by default; a PUT without it clears it', async () => {
      await (await putVersion('2.1.0', new Date('2031-01-01T00:00:00Z'))).pollUntilDone();
      const path = `${versionId('ubuntu-healthy', '2.1.0')}?api-version=2025-03-03`;
      const patched = await rawRequest(h.sim, 'PATCH', path, {
        body: { properties: { publishingProfile: { endOfLifeDate: null } } },
      });
      expect(patched.status).toBe(200);
      h.sim.advanceClock(10);
      const kept = await h.clients.compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-healthy', '2.1.0');
      expect(kept.publishingProfile?.endOfLifeDate?.toISOString()).toBe('2031-01-01T00:00:00.000Z');

      await (await putVersion('2.1.0')).pollUntilDone();
      const cleared = await h.clients.compute.galleryImageVersions.get(
        RG,
        GALLERY,
        'ubuntu-healthy',
        '2.1.0',
      );
      expect(cleared.publishingProfile?.endOfLifeDate).toBeUndefined();
    });
  });

  describe('VM security type', () => {
    it('defaults a Gen2 VM to TrustedLaunch from api-version 2025-11-01 unless Standard is sent', async () => {
      // Standard_B2s offers no Trusted Launch: the default makes the create fail.
      const defaulted = await createVm(h, {
        imageReferenceId: versionId('ubuntu-healthy'),
        size: 'Standard_B2s',
        securityType: 'omit',
      }).catch((e: unknown) => e);
      expect(defaulted).toMatchObject({ code: 'BadRequest', message: expect.stringContaining("'TrustedLaunch'") as unknown });

      const standard = await createVm(h, {
        imageReferenceId: versionId('ubuntu-healthy'),
        size: 'Standard_B2s',
        securityType: 'Standard',
      });
      const vm = await standard.done();
      expect(vm.securityProfile?.securityType).toBe('Standard');

      const trusted = await (
        await createVm(h, { imageReferenceId: versionId('ubuntu-healthy'), securityType: 'omit' })
      ).done();
      expect(trusted.securityProfile?.securityType).toBe('TrustedLaunch');
    }); // prettier-ignore

    it('refuses an explicit Standard before api-version 2025-11-01', async () => {
      const path = `${SUB_PATH(h)}/resourceGroups/${VRG}/providers/Microsoft.Compute/virtualMachines/old-api?api-version=2025-04-01`;
      const answer = await rawRequest(h.sim, 'PUT', path, {
        body: {
          location: 'eastus',
          properties: {
            hardwareProfile: { vmSize: 'Standard_B2s' },
            storageProfile: { imageReference: { id: versionId('ubuntu-healthy') } },
            osProfile: { computerName: 'old-api', adminUsername: 'u', adminPassword: 'P@ss-not-real-1' },
            securityProfile: { securityType: 'Standard' },
          },
        },
      });
      expect(answer).toMatchObject({ status: 400, body: { error: { code: 'InvalidParameter', target: 'securityProfile.securityType' } } });
    }); // prettier-ignore
  });

  describe("Compute's per-VM throttling", () => {
    // At scale 1 the bucket refills one token per 5 s of real time, and the burst is sent at once, so
    // it meets a bucket that barely refills in between even on a busy machine.
    let slow: Harness;
    beforeAll(async () => {
      slow = await startHarness({ timeScale: 1 });
    });
    afterAll(async () => {
      await slow.sim.close();
    });

    it('answers 429 OperationNotAllowed with Retry-After once a VM exhausts its Low Cost Get bucket', async () => {
      const vm = await createVm(slow, { imageReferenceId: versionId('ubuntu-healthy') });
      const view = `${SUB_PATH(slow)}/resourceGroups/${VRG}/providers/Microsoft.Compute/virtualMachines/${vm.name}/instanceView?api-version=2026-03-01`;
      const before = slow.sim.throttledCounts().total;
      // A bucket of 36 (Low Cost Get VM: 12 per minute, capacity 36); 40 at once overdraw it.
      const answers = await Promise.all(Array.from({ length: 40 }, () => rawRequest(slow.sim, 'GET', view)));
      const throttled = answers.filter((a) => a.status === 429);
      expect(throttled.length).toBeGreaterThanOrEqual(1);
      expect(throttled[0]).toMatchObject({
        body: { error: { code: 'OperationNotAllowed', details: [{ code: 'TooManyRequests', target: 'LowCostGetVM' }] } },
      });
      expect(Number(throttled[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(slow.sim.throttledCounts().total - before).toBe(throttled.length);
      slow.sim.advanceClock(60); // one minute refills 12 tokens
      expect((await rawRequest(slow.sim, 'GET', view)).status).toBe(200);
    }); // prettier-ignore
  });
});
