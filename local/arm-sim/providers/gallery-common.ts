/** Shared by the gallery, image definition and image version routes: ids, LRO answers. */
import { ArmError, notFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { HandlerResult, RequestContext } from '../router';
import { tagsOf, view, type Json } from './common';
import { accepted, runResourceLro, writeAccepted, type LroHome } from './resource-lro';

export const GALLERY =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/galleries/{galleryName}';
export const IMAGE = `${GALLERY}/images/{galleryImageName}`;
export const VERSION = `${IMAGE}/versions/{galleryImageVersionName}`;
export const OP = {
  gallery: 'Microsoft.Compute/galleries',
  image: 'Microsoft.Compute/galleries/images',
  version: 'Microsoft.Compute/galleries/images/versions',
} as const;

/** Gallery operations are polled under Microsoft.Compute's capsOperations, not its VM operations. */
const GALLERY_LRO: LroHome = { provider: 'Microsoft.Compute', collection: 'capsOperations' };

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

/** The addressed gallery, image definition or version; NotFound names it by its slash-joined path as ARM does. */
export const needGallery = (ctx: RequestContext): ArmResource =>
  need(ctx, galleryId(ctx), OP.gallery, ctx.params.galleryName!);
export const imagePath = (ctx: RequestContext): string =>
  `${ctx.params.galleryName!}/${ctx.params.galleryImageName!}`;
export const needImage = (ctx: RequestContext): ArmResource =>
  need(ctx, imageId(ctx), OP.image, imagePath(ctx));
export const needVersion = (ctx: RequestContext): ArmResource =>
  need(ctx, versionId(ctx), OP.version, `${imagePath(ctx)}/${ctx.params.galleryImageVersionName!}`);

/**
 * 201/200 with the resource and an Azure-AsyncOperation header; after `seconds` the write reports
 * Succeeded (every gallery-level write finishes the same way, only its duration differs).
 */
export function acceptWrite(
  ctx: RequestContext,
  resource: ArmResource,
  created: boolean,
  seconds = WRITE_SECONDS,
): HandlerResult {
  const op = runResourceLro(
    ctx,
    GALLERY_LRO,
    resource,
    seconds,
    () => {
      resource.properties.provisioningState = 'Succeeded';
      ctx.sim.onResourceEvent('ResourceWriteSuccess', resource.id, `${resource.type}/write`);
    },
    true,
  );
  return writeAccepted(ctx, op, created, view(resource));
}

/**
 * DELETE of a gallery-level resource: 204 when already gone, 409 while it still holds `nested`
 * children (ARM refuses to cascade), otherwise 202 and the resource goes after WRITE_SECONDS.
 */
export function deleteUnlessNested(ctx: RequestContext, id: string, nested?: string): HandlerResult {
  const resource = ctx.sim.store.get(id);
  if (!resource) return { status: 204 };
  if (nested !== undefined && ctx.sim.store.children(resource.id, nested).length > 0) {
    throw new ArmError(
      409,
      'CannotDeleteResource',
      'Can not delete resource before nested resources are deleted.',
    );
  }
  return acceptDelete(ctx, resource, WRITE_SECONDS);
}

function acceptDelete(ctx: RequestContext, resource: ArmResource, seconds: number): HandlerResult {
  resource.properties.provisioningState = 'Deleting';
  const op = runResourceLro(ctx, GALLERY_LRO, resource, seconds, () => {
    ctx.sim.store.delete(resource.id);
    ctx.sim.replication.delete(resource.id.toLowerCase());
    ctx.sim.onResourceEvent('ResourceDeleteSuccess', resource.id, `${resource.type}/delete`);
  });
  return accepted(ctx, op);
}

export function mergeTags(resource: ArmResource, body: Json): void {
  const tags = tagsOf(body);
  if (tags !== undefined) resource.tags = tags;
}
