import { GALLERY, RG, startHarness, versionId, type Harness } from './sim-harness';

describe('ARM simulator: galleries, image definitions and versions through @azure/arm-compute', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.sim.close();
  });

  it('serves the demo gallery, its image definitions and their versions', async () => {
    const gallery = await h.clients.compute.galleries.get(RG, GALLERY);
    expect(gallery).toMatchObject({ name: GALLERY, location: 'eastus', provisioningState: 'Succeeded' });

    const images = [];
    for await (const image of h.clients.compute.galleryImages.listByGallery(RG, GALLERY)) images.push(image);
    expect(images.map((i) => i.name).sort()).toEqual([
      'ubuntu-agent-stuck',
      'ubuntu-cloned',
      'ubuntu-healthy',
      'ubuntu-kernel-panic',
      'windows-healthy',
      'windows-specialized',
    ]);
    const healthy = await h.clients.compute.galleryImages.get(RG, GALLERY, 'UBUNTU-HEALTHY');
    expect(healthy).toMatchObject({
      osType: 'Linux',
      osState: 'Generalized',
      hyperVGeneration: 'V2',
      architecture: 'x64',
      features: [{ name: 'SecurityType', value: 'TrustedLaunchSupported' }],
      tags: { owner: 'team-linux@example.com' },
    });
    const specialized = await h.clients.compute.galleryImages.get(RG, GALLERY, 'windows-specialized');
    expect(specialized).toMatchObject({ osType: 'Windows', osState: 'Specialized' });

    const version = await h.clients.compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-healthy', '1.0.0', {
      expand: 'ReplicationStatus',
    });
    expect(version.id).toBe(versionId('ubuntu-healthy'));
    expect(version.provisioningState).toBe('Succeeded');
    expect(version.publishingProfile?.targetRegions?.map((r) => r.name)).toEqual(['East US', 'West Europe']);
    expect(version.publishingProfile?.excludeFromLatest).toBe(false);
    expect(version.publishingProfile?.publishedDate).toBeInstanceOf(Date);
    expect(version.replicationStatus?.aggregatedState).toBe('Completed');
    expect(version.replicationStatus?.summary?.map((s) => [s.region, s.state, s.progress])).toEqual([
      ['East US', 'Completed', 100],
      ['West Europe', 'Completed', 100],
    ]);
    const plain = await h.clients.compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-healthy', '1.0.0');
    expect(plain.replicationStatus).toBeUndefined();
  });

  it('publishes a new version through the LRO poller, replicating region by region', async () => {
    const poller = await h.clients.compute.galleryImageVersions.beginCreateOrUpdate(
      RG,
      GALLERY,
      'ubuntu-healthy',
      '1.0.1',
      {
        location: 'eastus',
        tags: { build: '42' },
        publishingProfile: {
          targetRegions: [{ name: 'eastus' }, { name: 'westeurope', excludeFromLatest: true }],
          endOfLifeDate: new Date('2030-01-01T00:00:00Z'),
        },
        storageProfile: {
          source: {
            id: '/subscriptions/x/resourceGroups/b/providers/Microsoft.Compute/virtualMachines/builder',
          },
        },
      },
      { updateIntervalInMs: 5 },
    );
    const during = await h.clients.compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-healthy', '1.0.1', {
      expand: 'ReplicationStatus',
    });
    expect(during.provisioningState).toBe('Creating');
    expect(during.replicationStatus?.aggregatedState).toBe('InProgress');

    const done = await poller.pollUntilDone();
    expect(done.provisioningState).toBe('Succeeded');
    expect(done.publishingProfile?.targetRegions?.[1]).toMatchObject({
      name: 'West Europe',
      excludeFromLatest: true,
    });
    expect(done.publishingProfile?.endOfLifeDate?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    const after = await h.clients.compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-healthy', '1.0.1', {
      expand: 'ReplicationStatus',
    });
    expect(after.replicationStatus?.aggregatedState).toBe('Completed');

    const versions = [];
    for await (const v of h.clients.compute.galleryImageVersions.listByGalleryImage(
      RG,
      GALLERY,
      'ubuntu-healthy',
    )) {
      versions.push(v.name);
    }
    expect(versions.sort()).toEqual(['1.0.0', '1.0.1']);
  });

  it('updates excludeFromLatest and endOfLifeDate with PATCH and deletes a version', async () => {
    const updated = await h.clients.compute.galleryImageVersions.beginUpdateAndWait(
      RG,
      GALLERY,
      'ubuntu-cloned',
      '1.0.0',
      { publishingProfile: { excludeFromLatest: true, endOfLifeDate: new Date('2024-01-01T00:00:00Z') } },
      { updateIntervalInMs: 5 },
    );
    expect(updated.provisioningState).toBe('Succeeded');
    expect(updated.publishingProfile?.excludeFromLatest).toBe(true);
    expect(updated.publishingProfile?.targetRegions).toHaveLength(2);

    await h.clients.compute.galleryImageVersions.beginDeleteAndWait(RG, GALLERY, 'ubuntu-healthy', '1.0.1', {
      updateIntervalInMs: 5,
    });
    await expect(
      h.clients.compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-healthy', '1.0.1'),
    ).rejects.toMatchObject({
      code: 'ResourceNotFound',
      statusCode: 404,
    });
  });

  it('creates an image definition and rejects a version under a missing definition', async () => {
    const def = await h.clients.compute.galleryImages.beginCreateOrUpdateAndWait(
      RG,
      GALLERY,
      'rhel-new',
      {
        location: 'eastus',
        osType: 'Linux',
        osState: 'Generalized',
        hyperVGeneration: 'V2',
        identifier: { publisher: 'contoso', offer: 'rhel', sku: '9' },
        tags: { owner: 'team-rhel@example.com' },
      },
      { updateIntervalInMs: 5 },
    );
    expect(def).toMatchObject({ name: 'rhel-new', provisioningState: 'Succeeded', osState: 'Generalized' });
    await expect(
      h.clients.compute.galleryImageVersions.beginCreateOrUpdateAndWait(RG, GALLERY, 'nope', '1.0.0', {
        location: 'eastus',
      }),
    ).rejects.toMatchObject({ code: 'ParentResourceNotFound' });
  });

  it('applies ARM validation to versions and definitions', async () => {
    const put = (targetRegions: { name: string }[]) =>
      h.clients.compute.galleryImageVersions.beginCreateOrUpdateAndWait(
        RG,
        GALLERY,
        'ubuntu-healthy',
        '9.0.0',
        { location: 'eastus', publishingProfile: { targetRegions } },
        h.poll,
      );
    await expect(put([{ name: 'eastus' }, { name: 'East US' }])).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: 'Duplicate regions are not allowed in target publishing regions.',
    });
    await expect(put([{ name: 'westeurope' }])).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: expect.stringContaining('must contain the location of image version') as unknown,
    });
    await expect(
      h.clients.compute.galleryImageVersions.beginCreateOrUpdateAndWait(
        RG,
        GALLERY,
        'ubuntu-healthy',
        'v1',
        { location: 'eastus' },
        h.poll,
      ),
    ).rejects.toMatchObject({ code: 'InvalidParameter' });
    await expect(
      h.clients.compute.galleryImages.beginUpdateAndWait(
        RG,
        GALLERY,
        'ubuntu-healthy',
        { endOfLifeDate: new Date('2020-01-01T00:00:00Z') },
        h.poll,
      ),
    ).rejects.toMatchObject({
      code: 'InvalidParameter',
      message: 'EndOfLifeDate must be set to a future date.',
    });
    await expect(
      h.clients.compute.galleryImages.beginUpdateAndWait(
        RG,
        GALLERY,
        'ubuntu-healthy',
        { osState: 'Specialized' },
        h.poll,
      ),
    ).rejects.toMatchObject({ code: 'PropertyChangeNotAllowed' });
  });

  it('counts the requests by RBAC operation', async () => {
    h.sim.resetOperationCounts();
    await h.clients.compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-healthy', '1.0.0');
    await h.clients.compute.galleryImages.get(RG, GALLERY, 'ubuntu-healthy');
    await h.clients.compute.galleryImageVersions.beginUpdateAndWait(
      RG,
      GALLERY,
      'ubuntu-healthy',
      '1.0.0',
      { tags: { checked: 'yes' } },
      { updateIntervalInMs: 5 },
    );
    const counts = h.sim.operationCounts();
    expect(counts.byOperation['Microsoft.Compute/galleries/images/versions/read']).toBe(2); // get + final GET of the PATCH
    expect(counts.byOperation['Microsoft.Compute/galleries/images/read']).toBe(1);
    expect(counts.byOperation['Microsoft.Compute/galleries/images/versions/write']).toBe(1);
    const polls = counts.byOperation['Microsoft.Compute/locations/capsOperations/read'] ?? 0;
    expect(polls).toBeGreaterThanOrEqual(1);
    expect(counts.total).toBe(4 + polls);
  });
});
