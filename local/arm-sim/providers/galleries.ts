import { invalidParameter } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { RequestContext, Route } from '../router';
import {
  bodyOf,
  isObject,
  list,
  ok,
  propertiesOf,
  requireResourceGroup,
  putIdentity,
  str,
  type Json,
  view,
} from './common';
import { GALLERY, OP, galleryId, needGallery, acceptWrite } from './gallery-common';
import { galleryResourceRoutes } from './gallery-resource-routes';

/**
 * sharingProfile as azure-rest-api-specs GalleryRP 2023-07-03 gallery.json defines it:
 * `permissions` is Private | Groups (direct sharing with subscriptions/tenants) | Community, set when
 * the gallery is written (example CommunityGallery_Create.json); `groups` is read-only and changed
 * only by the `share` action (Gallery_AddToSharingProfile.json, Gallery_ResetSharingProfile.json).
 */
const PERMISSIONS = ['Private', 'Groups', 'Community'] as const;

function sharingProfileOf(body: Json, existing: ArmResource | undefined): Json | undefined {
  const requested = propertiesOf(body).sharingProfile;
  const previous = existing?.properties.sharingProfile as Json | undefined;
  if (requested === undefined) return previous;
  if (!isObject(requested)) {
    throw invalidParameter('The sharingProfile must be an object.', 'gallery.properties.sharingProfile');
  }
  const permissions = PERMISSIONS.find(
    (p) => p.toLowerCase() === str(requested.permissions, 'Private').toLowerCase(),
  );
  if (permissions === undefined) {
    throw invalidParameter(
      `The value of parameter sharingProfile.permissions is invalid; expected one of ${PERMISSIONS.join(', ')}.`,
      'gallery.properties.sharingProfile.permissions',
    );
  }
  return {
    permissions,
    ...(previous?.groups === undefined ? {} : { groups: previous.groups }),
    ...(isObject(requested.communityGalleryInfo)
      ? { communityGalleryInfo: requested.communityGalleryInfo }
      : {}),
  };
}

/** POST .../galleries/{g}/share: Add / Remove groups, Reset to Private, EnableCommunity. */
function share(ctx: RequestContext) {
  const gallery = needGallery(ctx);
  const body = bodyOf(ctx);
  const operation = str(body.operationType);
  const profile = (gallery.properties.sharingProfile ?? { permissions: 'Private' }) as Json;
  const groups = Array.isArray(body.groups) ? (body.groups as Json[]) : [];
  switch (operation.toLowerCase()) {
    case 'reset':
      gallery.properties.sharingProfile = { permissions: 'Private' };
      break;
    case 'add':
      gallery.properties.sharingProfile = {
        ...profile,
        permissions: 'Groups',
        groups: [...((profile.groups as Json[] | undefined) ?? []), ...groups],
      };
      break;
    case 'remove':
      gallery.properties.sharingProfile = { ...profile, groups: [] };
      break;
    case 'enablecommunity':
      gallery.properties.sharingProfile = {
        ...profile,
        permissions: 'Community',
        communityGalleryInfo: { ...(profile.communityGalleryInfo as Json), communityGalleryEnabled: true },
      };
      break;
    default:
      throw invalidParameter(
        'operationType must be Add, Remove, Reset or EnableCommunity.',
        'sharingUpdate.operationType',
      );
  }
  return ok({ operationType: operation, ...(groups.length > 0 ? { groups } : {}) });
}

/**
 * Galleries - List (by subscription): GET /subscriptions/{id}/providers/Microsoft.Compute/galleries,
 * which `az sig list` and the SDKs' `galleries.list()` call (Azure REST API reference, Galleries - List).
 */
const subscriptionGalleryList: Route = {
  method: 'GET',
  template: '/subscriptions/{subscriptionId}/providers/Microsoft.Compute/galleries',
  operation: `${OP.gallery}/read`,
  handler: (ctx) => {
    const prefix = `/subscriptions/${ctx.params.subscriptionId!.toLowerCase()}/`;
    return list(
      ctx.sim.store
        .all()
        .map((s) => s.resource)
        .filter((r) => r.type === OP.gallery && r.id.toLowerCase().startsWith(prefix))
        .map(view),
    );
  },
};

export const galleryRoutes: Route[] = [
  subscriptionGalleryList,
  ...galleryResourceRoutes({
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
      const sharingProfile = sharingProfileOf(body, existing);
      const resource = ctx.sim.store.put({
        ...putIdentity(body, existing, galleryId(ctx), ctx.params.galleryName!, OP.gallery),
        properties: {
          description: propertiesOf(body).description ?? '',
          identifier: {
            uniqueName: `${ctx.params.subscriptionId!.slice(0, 8)}-${ctx.params.galleryName!.toUpperCase()}`,
          },
          ...(sharingProfile === undefined ? {} : { sharingProfile }),
          provisioningState: existing ? 'Updating' : 'Creating',
        },
      });
      return acceptWrite(ctx, resource, !existing);
    },
    patch: (ctx, resource, body) => {
      const description = propertiesOf(body).description;
      if (typeof description === 'string') resource.properties.description = description;
      const sharingProfile = sharingProfileOf(body, resource);
      if (sharingProfile !== undefined) resource.properties.sharingProfile = sharingProfile;
      resource.properties.provisioningState = 'Updating';
      return acceptWrite(ctx, resource, false);
    },
    members: (ctx) => {
      const rg = requireResourceGroup(ctx);
      return ctx.sim.store.children(`${rg}/providers/Microsoft.Compute`, 'galleries');
    },
  }),
  { method: 'POST', template: `${GALLERY}/share`, operation: `${OP.gallery}/share/action`, handler: share },
];
