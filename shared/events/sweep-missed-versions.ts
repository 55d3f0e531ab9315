import { parseImageVersionId } from '../arm/resource-id';
import { armVersionView } from '../azure/version-instance';
import { ingestVersionSignal, type IngestServices } from './ingest-version-signal';
import { IngestDecision } from './ingest-decision';
import type { ComputeManagementClient } from '@azure/arm-compute';

/**
 * Missed-event sweep: lists the versions of every configured gallery and feeds each one published
 * within the lookback window through the same ingest path as events, with the listing as ARM's word
 * (no second read). That creates a run for every version whose current instance (publishedDate) has
 * no run in flight or with a verdict: a lost event, a re-publish under the same number, or a run a
 * forged signal left Cancelled. Catches everything Event Grid never delivered.
 */
export async function sweepMissedVersions(
  services: IngestServices,
  compute: (subscriptionId: string) => ComputeManagementClient,
  lookbackHours: number,
): Promise<number> {
  const since = services.clock().getTime() - lookbackHours * 3600_000;
  let created = 0;
  for (const gallery of services.config.ingest.galleryScopes) {
    const client = compute(gallery.subscriptionId);
    for await (const image of client.galleryImages.listByGallery(gallery.resourceGroup, gallery.gallery)) {
      if (image.name === undefined) continue;
      for await (const version of client.galleryImageVersions.listByGalleryImage(
        gallery.resourceGroup,
        gallery.gallery,
        image.name,
      )) {
        if (version.id === undefined) continue;
        const observed = armVersionView(version, version.id);
        if (!observed.present || Date.parse(observed.instanceId) < since) continue;
        const outcome = await ingestVersionSignal(
          services,
          {
            eventId: `sweep:${version.id.toLowerCase()}@${observed.instanceId}`,
            source: 'sweep',
            kind: 'write',
            version: parseImageVersionId(version.id),
            eventTime: observed.instanceId,
          },
          observed,
        );
        if (outcome.decision === IngestDecision.RunCreated) created++;
      }
    }
  }
  if (created > 0) services.logger.warn('Sweep found versions no event reported', { created });
  return created;
}
