import { parseImageVersionId } from '../arm/resource-id';
import { ingestVersionSignal, type IngestServices } from './ingest-version-signal';
import { IngestDecision } from './ingest-decision';
import type { ComputeManagementClient } from '@azure/arm-compute';

/**
 * Missed-event sweep: lists the versions of every configured gallery and feeds each one published
 * within the lookback window through the same ingest path as events, which creates a run only for a
 * version that has none. Catches events Event Grid never delivered.
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
        const published = version.publishingProfile?.publishedDate;
        if (version.id === undefined || published === undefined || new Date(published).getTime() < since)
          continue;
        const outcome = await ingestVersionSignal(services, {
          eventId: `sweep:${version.id.toLowerCase()}`,
          source: 'sweep',
          kind: 'write',
          version: parseImageVersionId(version.id),
          eventTime: new Date(published).toISOString(),
        });
        if (outcome.decision === IngestDecision.RunCreated) created++;
      }
    }
  }
  if (created > 0) services.logger.warn('Sweep found versions no event reported', { created });
  return created;
}
