import type { ComputeManagementClient } from '@azure/arm-compute';
import { DEMO } from '../arm-sim';

export const BENCH_IMAGE = 'ubuntu-healthy';

/** Publishes `count` versions of a demo image (default the healthy Linux one) through the SDK, `parallel` PUTs at a time. */
export async function publishVersions(
  compute: ComputeManagementClient,
  count: number,
  regions: number,
  prefix: number,
  parallel = 25,
  image = BENCH_IMAGE,
): Promise<string[]> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}.${Math.floor(i / 1000)}.${i % 1000}`);
  const targetRegions = DEMO.regions.slice(0, regions).map((name) => ({ name, regionalReplicaCount: 1 }));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < names.length) {
      const name = names[next++]!;
      await compute.galleryImageVersions.beginCreateOrUpdate(DEMO.resourceGroup, DEMO.gallery, image, name, {
        location: 'eastus',
        publishingProfile: { targetRegions },
        storageProfile: {
          source: {
            virtualMachineId: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-image-build/providers/Microsoft.Compute/virtualMachines/${image}-build`,
          },
        },
      });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return names;
}
