import type { Route } from '../router';
import { bodyOf, propertiesOf, requireResourceGroup, putIdentity } from './common';
import { GALLERY, OP, galleryId, needGallery, acceptWrite } from './gallery-common';
import { galleryResourceRoutes } from './gallery-resource-routes';

export const galleryRoutes: Route[] = galleryResourceRoutes({
  template: GALLERY,
  collection:
    '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/galleries',
  type: OP.gallery,
  id: galleryId,
  need: needGallery,
  nested: 'images',
  put: (ctx) => {
    requireResourceGroup(ctx);
    const body = bodyOf(ctx);
    const existing = ctx.sim.store.get(galleryId(ctx));
    const resource = ctx.sim.store.put({
      ...putIdentity(body, existing, galleryId(ctx), ctx.params.galleryName!, OP.gallery),
      properties: {
        description: propertiesOf(body).description ?? '',
        identifier: {
          uniqueName: `${ctx.params.subscriptionId!.slice(0, 8)}-${ctx.params.galleryName!.toUpperCase()}`,
        },
        provisioningState: existing ? 'Updating' : 'Creating',
      },
    });
    return acceptWrite(ctx, resource, !existing);
  },
  patch: (ctx, resource, body) => {
    const description = propertiesOf(body).description;
    if (typeof description === 'string') resource.properties.description = description;
    resource.properties.provisioningState = 'Updating';
    return acceptWrite(ctx, resource, false);
  },
  members: (ctx) => {
    const rg = requireResourceGroup(ctx);
    return ctx.sim.store.children(`${rg}/providers/Microsoft.Compute`, 'galleries');
  },
});
