import type { Route } from '../router';
import {
  bodyOf,
  list,
  ok,
  propertiesOf,
  requireLocation,
  requireResourceGroup,
  tagsOf,
  view,
} from './common';
import {
  GALLERY,
  OP,
  galleryId,
  needGallery,
  acceptWrite,
  deleteUnlessNested,
  mergeTags,
} from './gallery-common';

export const galleryRoutes: Route[] = [
  {
    method: 'PUT',
    template: GALLERY,
    operation: `${OP.gallery}/write`,
    handler: (ctx) => {
      requireResourceGroup(ctx);
      const body = bodyOf(ctx);
      const existing = ctx.sim.store.get(galleryId(ctx));
      const resource = ctx.sim.store.put({
        id: existing?.id ?? galleryId(ctx),
        name: existing?.name ?? ctx.params.galleryName!,
        type: OP.gallery,
        location: requireLocation(body),
        tags: tagsOf(body) ?? existing?.tags ?? {},
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
  },
  {
    method: 'GET',
    template: GALLERY,
    operation: `${OP.gallery}/read`,
    handler: (ctx) => ok(view(needGallery(ctx))),
  },
  {
    method: 'PATCH',
    template: GALLERY,
    operation: `${OP.gallery}/write`,
    handler: (ctx) => {
      const resource = needGallery(ctx);
      const body = bodyOf(ctx);
      mergeTags(resource, body);
      const description = propertiesOf(body).description;
      if (typeof description === 'string') resource.properties.description = description;
      resource.properties.provisioningState = 'Updating';
      return acceptWrite(ctx, resource, false);
    },
  },
  {
    method: 'DELETE',
    template: GALLERY,
    operation: `${OP.gallery}/delete`,
    handler: (ctx) => deleteUnlessNested(ctx, galleryId(ctx), 'images'),
  },
  {
    method: 'GET',
    template:
      '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/galleries',
    operation: `${OP.gallery}/read`,
    handler: (ctx) => {
      const rg = requireResourceGroup(ctx);
      return list(ctx.sim.store.children(`${rg}/providers/Microsoft.Compute`, 'galleries').map(view));
    },
  },
];
