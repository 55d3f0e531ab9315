import type { ArmResource } from '../resource-store';
import type { HandlerResult, RequestContext, Route } from '../router';
import { bodyOf, list, ok, view, type Json } from './common';
import { deleteUnlessNested, mergeTags } from './gallery-common';

/** What differs between a gallery, an image definition and an image version; the rest is shared. */
export interface GalleryResourceSpec {
  /** Template of one resource, and of the collection that lists its siblings. */
  readonly template: string;
  readonly collection: string;
  /** Resource type; its /read, /write and /delete are the operations the routes are counted as. */
  readonly type: string;
  readonly id: (ctx: RequestContext) => string;
  /** The addressed resource, or ARM's NotFound. */
  readonly need: (ctx: RequestContext) => ArmResource;
  /** Child collection that must be empty before a DELETE (ARM does not cascade). */
  readonly nested?: string;
  readonly put: Route['handler'];
  /** Applies a PATCH body to the resource, whose tags are already merged, and answers it. */
  readonly patch: (ctx: RequestContext, resource: ArmResource, body: Json) => HandlerResult;
  /** The siblings a list returns, after checking the parent exists. */
  readonly members: (ctx: RequestContext) => ArmResource[];
  /** Response form of one resource; plain `view` unless the resource adds computed state. */
  readonly present?: (ctx: RequestContext, resource: ArmResource) => Json;
}

/** PUT, GET, PATCH, DELETE and list routes of one gallery-level resource, in that order. */
export function galleryResourceRoutes(spec: GalleryResourceSpec): Route[] {
  const present = spec.present ?? ((_ctx: RequestContext, resource: ArmResource) => view(resource));
  const { template, type } = spec;
  return [
    { method: 'PUT', template, operation: `${type}/write`, handler: spec.put },
    {
      method: 'GET',
      template,
      operation: `${type}/read`,
      handler: (ctx) => ok(present(ctx, spec.need(ctx))),
    },
    {
      method: 'PATCH',
      template,
      operation: `${type}/write`,
      handler: (ctx) => {
        const resource = spec.need(ctx);
        const body = bodyOf(ctx);
        mergeTags(resource, body);
        return spec.patch(ctx, resource, body);
      },
    },
    {
      method: 'DELETE',
      template,
      operation: `${type}/delete`,
      handler: (ctx) => deleteUnlessNested(ctx, spec.id(ctx), spec.nested),
    },
    {
      method: 'GET',
      template: spec.collection,
      operation: `${type}/read`,
      handler: (ctx) => list(spec.members(ctx).map((r) => present(ctx, r))),
    },
  ];
}
