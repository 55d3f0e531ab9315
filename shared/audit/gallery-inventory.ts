import type { ComputeManagementClient, Gallery, GalleryImage, GalleryImageVersion } from '@azure/arm-compute';
import type { GalleryRef } from '../arm/resource-id';

/** One image definition of a gallery with every one of its versions, as ARM listed them. */
export interface DefinitionInventory {
  readonly definition: GalleryImage & { readonly id: string; readonly name: string };
  readonly versions: readonly (GalleryImageVersion & { readonly id: string; readonly name: string })[];
}

/** What one audit read of one gallery: the gallery, its definitions and their versions. */
export interface GalleryInventory {
  readonly ref: GalleryRef;
  readonly gallery: Gallery & { readonly id: string; readonly name: string };
  readonly definitions: readonly DefinitionInventory[];
}

const named = <T extends { id?: string; name?: string }>(
  resource: T,
): resource is T & { id: string; name: string } => resource.id !== undefined && resource.name !== undefined;

/**
 * Reads a gallery with list calls only: one GET of the gallery (`$select=Permissions`, so the
 * sharingProfile groups come back — azure-rest-api-specs GalleryRP 2023-07-03
 * Gallery_Get_WithSelectPermissions.json), one list of its definitions and one list of versions per
 * definition (each list follows nextLink pages). Never a GET per version: the request budget is
 * 2 + definitions (+ extra pages), whatever the number of versions.
 */
export async function readGalleryInventory(
  compute: ComputeManagementClient,
  ref: GalleryRef,
): Promise<GalleryInventory> {
  const gallery = await compute.galleries.get(ref.resourceGroup, ref.gallery, { select: 'Permissions' });
  if (!named(gallery)) throw new Error(`gallery ${ref.key} came back without an id`);
  const definitions: DefinitionInventory[] = [];
  for await (const definition of compute.galleryImages.listByGallery(ref.resourceGroup, ref.gallery)) {
    if (!named(definition)) continue;
    const versions: DefinitionInventory['versions'][number][] = [];
    for await (const version of compute.galleryImageVersions.listByGalleryImage(
      ref.resourceGroup,
      ref.gallery,
      definition.name,
    )) {
      if (named(version)) versions.push(version);
    }
    definitions.push({ definition, versions });
  }
  return { ref, gallery, definitions };
}
