import type { ComputeManagementClient, GalleryImageVersion } from '@azure/arm-compute';
import { imageVersionId, type ImageVersionRef } from '../arm/resource-id';
import { ArmFault, classifyArmError } from './arm-error-classification';

/**
 * Which *instance* of an image version ARM holds. A version number can be deleted and published again
 * with another build; what tells the two apart is `properties.publishingProfile.publishedDate`, which
 * the Compute REST spec (GalleryArtifactPublishingProfileBase) declares read-only: "The timestamp for
 * when the gallery image version is published". ARM sets it when the version is created, updates
 * (PATCH of excludeFromLatest, endOfLifeDate, target regions) keep it, and a re-create gets a new one.
 */
export function versionInstanceId(version: GalleryImageVersion): string | undefined {
  const published = version.publishingProfile?.publishedDate;
  if (published === undefined) return undefined;
  const time = published instanceof Date ? published.getTime() : Date.parse(String(published));
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** What ARM says about a version right now. */
export type ArmVersionView =
  | {
      readonly present: true;
      /** ARM's spelling of the id. */
      readonly versionId: string;
      readonly instanceId: string;
    }
  | { readonly present: false; readonly reason: string };

/** ARM's word on a version, the one thing every signal is checked against before anything is decided. */
export type VersionLookup = (version: ImageVersionRef) => Promise<ArmVersionView>;

/** A listed or read version as an ArmVersionView (a version without publishedDate is not shown yet). */
export function armVersionView(version: GalleryImageVersion, fallbackId: string): ArmVersionView {
  const instanceId = versionInstanceId(version);
  if (instanceId === undefined) return { present: false, reason: 'ARM shows no publishedDate yet' };
  return { present: true, versionId: version.id ?? fallbackId, instanceId };
}

/**
 * Reads the version through the gallery subscription's client. 404 (version, image, gallery or
 * resource group gone) is an answer: absent; every other error propagates (the caller retries).
 */
export function armVersionLookup(
  compute: (subscriptionId: string) => ComputeManagementClient,
): VersionLookup {
  return async (ref) => {
    try {
      const version = await compute(ref.subscriptionId).galleryImageVersions.get(
        ref.resourceGroup,
        ref.gallery,
        ref.image,
        ref.version,
      );
      return armVersionView(version, imageVersionId(ref));
    } catch (error) {
      if (classifyArmError(error).fault === ArmFault.NotFound) {
        return { present: false, reason: 'ARM answers 404 for the version' };
      }
      throw error;
    }
  };
}
