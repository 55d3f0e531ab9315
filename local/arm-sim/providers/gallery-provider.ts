import type { Route } from '../router';
import { galleryRoutes } from './galleries';
import { imageRoutes } from './gallery-images';
import { versionRoutes } from './gallery-image-versions';

/** Microsoft.Compute galleries, image definitions and image versions. */
export const galleryProviderRoutes: Route[] = [...galleryRoutes, ...imageRoutes, ...versionRoutes];
