import { VRG, createVm, download, imageId, startHarness, versionId, type Harness } from './sim-harness';

describe('ARM simulator: ARM rules for VMs from gallery images yield ARM error codes through the SDK', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.close();
  });

  it('rejects an osProfile on a specialized image', async () => {
    await expect(createVm(h, { imageReferenceId: versionId('windows-specialized') })).rejects.toMatchObject({
      code: 'InvalidParameter',
      statusCode: 400,
      message: "Parameter 'osProfile' is not allowed.",
    });
  });

  it('requires an osProfile on a generalized image', async () => {
    await expect(
      createVm(h, { imageReferenceId: versionId('ubuntu-healthy'), osProfile: null }),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: expect.stringContaining("'osProfile'") as unknown,
    });
  });

  it('rejects a size that cannot boot the image generation', async () => {
    await expect(
      createVm(h, {
        imageReferenceId: versionId('ubuntu-healthy'),
        size: 'Standard_A1_v2',
        securityType: 'Standard',
      }),
    ).rejects.toMatchObject({
      code: 'BadRequest',
      message: expect.stringContaining("cannot boot Hypervisor Generation '2'") as unknown,
    });
  });

  it('rejects Trusted Launch on a size without it and an Arm64 size for an x64 image', async () => {
    await expect(
      createVm(h, {
        imageReferenceId: versionId('ubuntu-healthy'),
        size: 'Standard_B2s',
        securityType: 'TrustedLaunch',
      }),
    ).rejects.toMatchObject({
      code: 'BadRequest',
      message: expect.stringContaining('TrustedLaunch') as unknown,
    });
    await expect(
      createVm(h, {
        imageReferenceId: versionId('ubuntu-healthy'),
        size: 'Standard_D2ps_v5',
        securityType: 'Standard',
      }),
    ).rejects.toMatchObject({
      code: 'BadRequest',
      message: expect.stringContaining('architecture') as unknown,
    });
  });

  it('reports SkuNotAvailable for a size the region does not offer', async () => {
    await expect(
      createVm(h, {
        imageReferenceId: versionId('ubuntu-healthy'),
        size: 'Standard_DC2as_v5',
        region: 'westeurope',
      }),
    ).rejects.toMatchObject({ code: 'SkuNotAvailable', statusCode: 409 });
  });

  it('fails provisioning with OSProvisioningTimedOut when the agent never reports', async () => {
    const vm = await createVm(h, { imageReferenceId: versionId('ubuntu-agent-stuck') });
    // core-lro reports a failed LRO as an Error whose message carries ARM's code (as it does against Azure).
    await expect(vm.done()).rejects.toThrow(
      /long-running operation has failed\. OSProvisioningTimedOut\. OS Provisioning for VM/,
    );
    const view = await h.clients.compute.virtualMachines.instanceView(VRG, vm.name);
    expect(view.statuses?.[0]?.code).toBe('ProvisioningState/failed/OSProvisioningTimedOut');
    expect(view.vmAgent?.statuses?.[0]?.displayStatus).toBe('Not Ready');
    await expect(
      h.clients.compute.virtualMachines.beginRunCommandAndWait(
        VRG,
        vm.name,
        { commandId: 'RunShellScript', script: ['true'] },
        h.poll,
      ),
    ).rejects.toMatchObject({ code: 'VMAgentStatusCommunicationError', statusCode: 409 });
  });

  it('shows a kernel panic in the serial log of a VM that never comes up', async () => {
    const vm = await createVm(h, { imageReferenceId: versionId('ubuntu-kernel-panic') });
    const failed = vm.done().catch((e: unknown) => e);
    const diag = await h.clients.compute.virtualMachines.retrieveBootDiagnosticsData(VRG, vm.name);
    let log = '';
    const deadline = Date.now() + 10_000;
    while (!log.includes('end Kernel panic') && Date.now() < deadline)
      log = (await download(diag.serialConsoleLogBlobUri!, h.sim.caCertPem)).text;
    expect(log).toContain('Kernel panic - not syncing: VFS: Unable to mount root fs');
    expect(String(await failed)).toContain('OSProvisioningTimedOut');
  });

  it('resolves an image definition id to the latest version not excluded from latest', async () => {
    const vm = await createVm(h, {
      imageReferenceId: imageId('windows-healthy'),
      osProfile: { computerName: 'winlatest', adminUsername: 'a', adminPassword: 'P@ss-not-real-9' },
    });
    expect((await vm.done()).storageProfile?.imageReference?.exactVersion).toBe('1.0.0');
    await h.clients.compute.galleryImageVersions.beginUpdateAndWait(
      'rg-images',
      'gg_demo_gallery',
      'windows-healthy',
      '1.0.0',
      {
        publishingProfile: {
          targetRegions: [{ name: 'eastus', excludeFromLatest: true }, { name: 'westeurope' }],
        },
      },
      h.poll,
    );
    await expect(
      createVm(h, {
        imageReferenceId: imageId('windows-healthy'),
        osProfile: { computerName: 'winlatest2', adminUsername: 'a', adminPassword: 'P@ss-not-real-9' },
      }),
    ).rejects.toMatchObject({ code: 'GalleryImageNotFound' });
  });

  it('lets the regional excludeFromLatest win over the version-wide one, as Azure documents', async () => {
    // "the regional flag will take precedence when both are specified" (Azure Compute Gallery best practices)
    await h.clients.compute.galleryImageVersions.beginUpdateAndWait(
      'rg-images',
      'gg_demo_gallery',
      'ubuntu-healthy',
      '1.0.0',
      {
        publishingProfile: {
          excludeFromLatest: true,
          targetRegions: [{ name: 'eastus', excludeFromLatest: false }, { name: 'westeurope' }],
        },
      },
      h.poll,
    );
    const vm = await createVm(h, { imageReferenceId: imageId('ubuntu-healthy') });
    expect((await vm.done()).storageProfile?.imageReference?.exactVersion).toBe('1.0.0');
    // westeurope has no regional flag: the version-wide true applies there.
    await expect(
      createVm(h, { imageReferenceId: imageId('ubuntu-healthy'), region: 'westeurope' }),
    ).rejects.toMatchObject({ code: 'GalleryImageNotFound' });
  });
});

describe('ARM simulator: regional vCPU quota', () => {
  it('refuses a VM that would exceed the regional vCPU quota with OperationNotAllowed', async () => {
    const h = await startHarness({ vcpuQuotaPerRegion: 3 });
    try {
      await (await createVm(h, { imageReferenceId: versionId('ubuntu-healthy') })).done();
      await expect(createVm(h, { imageReferenceId: versionId('ubuntu-healthy') })).rejects.toMatchObject({
        code: 'OperationNotAllowed',
        message: expect.stringContaining(
          'Current Limit: 3, Current Usage: 2, Additional Required: 2',
        ) as unknown,
      });
    } finally {
      await h.sim.close();
    }
  });
});
