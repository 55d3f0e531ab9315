import type { GalleryRef, ImageVersionRef } from './resource-id';

/** True only if the version's gallery is one of the configured galleries (ids compared case-insensitively). */
export function isInGalleryScope(scopes: readonly GalleryRef[], version: ImageVersionRef): boolean {
  return scopes.some((gallery) => gallery.key === version.galleryKey);
}
