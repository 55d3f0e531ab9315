import type { ComputeManagementClient, GalleryImageVersion } from '@azure/arm-compute';
import type { ImageVersionRef } from '../arm/resource-id';
import { latestPerRegion } from './latest-version';

type NamedVersion = GalleryImageVersion & { readonly name: string };

/** Every version of the version's image definition, as ARM lists them now. */
export async function listImageVersions(
  compute: ComputeManagementClient,
  ref: ImageVersionRef,
): Promise<NamedVersion[]> {
  const out: NamedVersion[] = [];
  for await (const v of compute.galleryImageVersions.listByGalleryImage(
    ref.resourceGroup,
    ref.gallery,
    ref.image,
  )) {
    if (v.name !== undefined) out.push(v as NamedVersion);
  }
  return out;
}

/**
 * What "latest" resolves to in each of `regions` right now, the way Azure resolves it (highest SemVer
 * published to the region and not excluded from latest there): region → version name, or null when
 * no version qualifies (a VM create from the definition id would fail there).
 */
export async function resolveLatest(
  compute: ComputeManagementClient,
  ref: ImageVersionRef,
  regions: readonly string[],
): Promise<{ readonly latest: Record<string, string | null>; readonly versions: NamedVersion[] }> {
  const versions = await listImageVersions(compute, ref);
  const map = latestPerRegion(versions);
  return {
    latest: Object.fromEntries(regions.map((r) => [r, map.get(r)?.name ?? null])),
    versions,
  };
}
