import { request } from 'node:https';
import type { ArmSimulator } from '../../local/arm-sim';
import { localCredential } from '../../local/azure/local-token-credential';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { createArmClients, type ArmClients } from '../../shared/azure/arm-clients';

/** Publishes and deletes image versions in a simulator through the production SDK clients. */
export interface SimGallery {
  /** Creates (or re-creates) the version, with its resource group, gallery and definition; returns publishedDate. */
  publish(versionId: string): Promise<string>;
  /** Deletes the version (waits for the LRO). */
  remove(versionId: string): Promise<void>;
}

function putResourceGroup(sim: ArmSimulator, subscriptionId: string, name: string): Promise<void> {
  const path = `/subscriptions/${subscriptionId}/resourcegroups/${name}?api-version=2021-04-01`;
  return new Promise((resolve, reject) => {
    const req = request(
      `${sim.endpoint}${path}`,
      {
        method: 'PUT',
        ca: sim.caCertPem,
        headers: { authorization: 'Bearer test', 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          (res.statusCode ?? 500) < 300 ? resolve() : reject(new Error(`RG PUT ${res.statusCode}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ location: 'eastus' }));
  });
}

export function simGallery(sim: ArmSimulator): SimGallery {
  const clients = new Map<string, ArmClients>();
  const ready = new Map<string, Promise<void>>();
  const clientsFor = (subscriptionId: string): ArmClients => {
    let c = clients.get(subscriptionId);
    if (c === undefined) {
      c = createArmClients(
        { arm: { endpoint: sim.endpoint, caCertPath: sim.caCertPath, pollIntervalMs: 5 } },
        subscriptionId,
        localCredential,
      );
      clients.set(subscriptionId, c);
    }
    return c;
  };
  const ensureImage = (versionId: string): Promise<void> => {
    const v = parseImageVersionId(versionId);
    const key = `${v.galleryKey}/images/${v.image.toLowerCase()}`;
    let promise = ready.get(key);
    if (promise === undefined) {
      const { compute, pollOptions } = clientsFor(v.subscriptionId);
      promise = (async () => {
        await putResourceGroup(sim, v.subscriptionId, v.resourceGroup);
        await compute.galleries.beginCreateOrUpdateAndWait(
          v.resourceGroup,
          v.gallery,
          { location: 'eastus' },
          pollOptions,
        );
        await compute.galleryImages.beginCreateOrUpdateAndWait(
          v.resourceGroup,
          v.gallery,
          v.image,
          {
            location: 'eastus',
            osType: 'Linux',
            osState: 'Generalized',
            hyperVGeneration: 'V2',
            identifier: { publisher: 'contoso', offer: 'ubuntu', sku: v.image },
          },
          pollOptions,
        );
      })();
      ready.set(key, promise);
    }
    return promise;
  };
  return {
    publish: async (versionId) => {
      await ensureImage(versionId);
      const v = parseImageVersionId(versionId);
      const { compute, pollOptions } = clientsFor(v.subscriptionId);
      const created = await compute.galleryImageVersions.beginCreateOrUpdateAndWait(
        v.resourceGroup,
        v.gallery,
        v.image,
        v.version,
        {
          location: 'eastus',
          publishingProfile: { targetRegions: [{ name: 'eastus', regionalReplicaCount: 1 }] },
          storageProfile: {
            source: {
              virtualMachineId: `/subscriptions/${v.subscriptionId}/resourceGroups/rg-build/providers/Microsoft.Compute/virtualMachines/build`,
            },
          },
        },
        pollOptions,
      );
      return new Date(created.publishingProfile?.publishedDate ?? 0).toISOString();
    },
    remove: async (versionId) => {
      const v = parseImageVersionId(versionId);
      const { compute, pollOptions } = clientsFor(v.subscriptionId);
      await compute.galleryImageVersions.beginDeleteAndWait(
        v.resourceGroup,
        v.gallery,
        v.image,
        v.version,
        pollOptions,
      );
    },
  };
}
