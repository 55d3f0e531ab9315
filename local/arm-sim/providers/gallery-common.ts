/** Shared by the gallery, image definition and image version routes: ids, LRO answers. */
import { notFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { HandlerResult, RequestContext } from '../router';
import { scopeOf, tagsOf, view, type Json } from './common';

export const GALLERY =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/galleries/{galleryName}';
export const IMAGE = `${GALLERY}/images/{galleryImageName}`;
export const VERSION = `${IMAGE}/versions/{galleryImageVersionName}`;
export const OP = {
  gallery: 'Microsoft.Compute/galleries',
  image: 'Microsoft.Compute/galleries/images',
  version: 'Microsoft.Compute/galleries/images/versions',
} as const;

/** Sim seconds a gallery-level write takes before its LRO reports Succeeded. */
export const WRITE_SECONDS = 5;
/** Sim seconds to replicate a version to one region; regions replicate one after another. */
export const REPLICATION_SECONDS_PER_REGION = 120;

export const galleryId = (ctx: RequestContext): string =>
  `/subscriptions/${ctx.params.subscriptionId!}/resourceGroups/${ctx.params.resourceGroupName!}/providers/Microsoft.Compute/galleries/${ctx.params.galleryName!}`;
export const imageId = (ctx: RequestContext): string =>
  `${galleryId(ctx)}/images/${ctx.params.galleryImageName!}`;
export const versionId = (ctx: RequestContext): string =>
  `${imageId(ctx)}/versions/${ctx.params.galleryImageVersionName!}`;

export function need(ctx: RequestContext, id: string, type: string, name: string): ArmResource {
  const found = ctx.sim.store.get(id);
  if (!found) throw notFound(type, name, ctx.params.resourceGroupName!);
  return found;
}

/** 201/200 with the resource and an Azure-AsyncOperation header; the write finishes after `seconds`. */
export function acceptWrite(
  ctx: RequestContext,
  resource: ArmResource,
  created: boolean,
  seconds: number,
  finish: () => void,
): HandlerResult {
  const op = ctx.sim.lro.run(
    scopeOf(ctx, 'Microsoft.Compute', 'capsOperations', resource.location ?? 'eastus'),
    seconds,
    ctx.fault,
    () => {
      finish();
      ctx.sim.onResourceEvent('ResourceWriteSuccess', resource.id, `${resource.type}/write`);
      return { ok: true };
    },
    () => (resource.properties.provisioningState = 'Failed'),
  );
  return {
    status: created ? 201 : 200,
    body: view(resource),
    headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, false),
  };
}

export function acceptDelete(ctx: RequestContext, resource: ArmResource, seconds: number): HandlerResult {
  resource.properties.provisioningState = 'Deleting';
  const op = ctx.sim.lro.run(
    scopeOf(ctx, 'Microsoft.Compute', 'capsOperations', resource.location ?? 'eastus'),
    seconds,
    ctx.fault,
    () => {
      ctx.sim.store.delete(resource.id);
      ctx.sim.replication.delete(resource.id.toLowerCase());
      ctx.sim.onResourceEvent('ResourceDeleteSuccess', resource.id, `${resource.type}/delete`);
      return { ok: true };
    },
  );
  return { status: 202, headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, true) };
}

export function mergeTags(resource: ArmResource, body: Json): void {
  const tags = tagsOf(body);
  if (tags !== undefined) resource.tags = tags;
}
