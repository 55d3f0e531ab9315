import { ArmError } from '../arm-error';
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
  WRITE_SECONDS,
  galleryId,
  need,
  acceptWrite,
  acceptDelete,
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
      return acceptWrite(
        ctx,
        resource,
        !existing,
        WRITE_SECONDS,
        () => (resource.properties.provisioningState = 'Succeeded'),
      );
    },
  },
  {
    method: 'GET',
    template: GALLERY,
    operation: `${OP.gallery}/read`,
    handler: (ctx) => ok(view(need(ctx, galleryId(ctx), OP.gallery, ctx.params.galleryName!))),
  },
  {
    method: 'PATCH',
    template: GALLERY,
    operation: `${OP.gallery}/write`,
    handler: (ctx) => {
      const resource = need(ctx, galleryId(ctx), OP.gallery, ctx.params.galleryName!);
      const body = bodyOf(ctx);
      mergeTags(resource, body);
      const description = propertiesOf(body).description;
      if (typeof description === 'string') resource.properties.description = description;
      resource.properties.provisioningState = 'Updating';
      return acceptWrite(
        ctx,
        resource,
        false,
        WRITE_SECONDS,
        () => (resource.properties.provisioningState = 'Succeeded'),
      );
    },
  },
  {
    method: 'DELETE',
    template: GALLERY,
    operation: `${OP.gallery}/delete`,
    handler: (ctx) => {
      const resource = ctx.sim.store.get(galleryId(ctx));
      if (!resource) return { status: 204 };
      if (ctx.sim.store.children(resource.id, 'images').length > 0) {
        throw new ArmError(
          409,
          'CannotDeleteResource',
          `Can not delete resource before nested resources are deleted.`,
        );
      }
      return acceptDelete(ctx, resource, WRITE_SECONDS);
    },
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
