import { ArmError, invalidParameter, parentNotFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { Route } from '../router';
import {
  bodyOf,
  isObject,
  list,
  ok,
  propertiesOf,
  str,
  requireLocation,
  requireResourceGroup,
  tagsOf,
  view,
  type Json,
} from './common';
import {
  GALLERY,
  IMAGE,
  OP,
  galleryId,
  imageId,
  needImage,
  acceptWrite,
  deleteUnlessNested,
  mergeTags,
} from './gallery-common';

function imageProperties(body: Json, existing?: ArmResource): Json {
  const p = propertiesOf(body);
  // ARM refuses a past end-of-life date on a definition (documented); an unchanged one is resent freely.
  if (
    p.endOfLifeDate !== undefined &&
    p.endOfLifeDate !== null &&
    p.endOfLifeDate !== existing?.properties.endOfLifeDate
  ) {
    const eol = Date.parse(str(p.endOfLifeDate));
    if (Number.isNaN(eol) || eol <= Date.now()) {
      throw invalidParameter(
        'EndOfLifeDate must be set to a future date.',
        'galleryImage.properties.endOfLifeDate',
      );
    }
  }
  if (existing) {
    // osType, osState, identifier, hyperVGeneration and architecture cannot change after create.
    for (const fixed of ['osType', 'osState', 'hyperVGeneration', 'architecture'] as const) {
      if (
        p[fixed] !== undefined &&
        str(p[fixed]).toLowerCase() !== str(existing.properties[fixed]).toLowerCase()
      ) {
        throw new ArmError(
          409,
          'PropertyChangeNotAllowed',
          `Changing property 'galleryImage.properties.${fixed}' is not allowed.`,
          { target: `galleryImage.properties.${fixed}` },
        );
      }
    }
    return { ...existing.properties, ...p, provisioningState: 'Updating' };
  }
  if (p.osType !== 'Linux' && p.osType !== 'Windows')
    throw invalidParameter(
      "Required parameter 'osType' is missing or invalid.",
      'galleryImage.properties.osType',
    );
  if (p.osState !== 'Generalized' && p.osState !== 'Specialized')
    throw invalidParameter(
      "Required parameter 'osState' is missing or invalid.",
      'galleryImage.properties.osState',
    );
  const identifier = p.identifier;
  if (
    !isObject(identifier) ||
    !['publisher', 'offer', 'sku'].every((k) => typeof identifier[k] === 'string')
  ) {
    throw invalidParameter(
      "Required parameter 'identifier' is missing (null).",
      'galleryImage.properties.identifier',
    );
  }
  return { hyperVGeneration: 'V1', architecture: 'x64', ...p, provisioningState: 'Creating' };
}

export const imageRoutes: Route[] = [
  {
    method: 'PUT',
    template: IMAGE,
    operation: `${OP.image}/write`,
    handler: (ctx) => {
      requireResourceGroup(ctx);
      if (!ctx.sim.store.has(galleryId(ctx))) throw parentNotFound(ctx.params.galleryName!);
      const body = bodyOf(ctx);
      const existing = ctx.sim.store.get(imageId(ctx));
      const resource = ctx.sim.store.put({
        id: existing?.id ?? imageId(ctx),
        name: existing?.name ?? ctx.params.galleryImageName!,
        type: OP.image,
        location: requireLocation(body),
        tags: tagsOf(body) ?? existing?.tags ?? {},
        properties: imageProperties(body, existing),
      });
      return acceptWrite(ctx, resource, !existing);
    },
  },
  {
    method: 'GET',
    template: IMAGE,
    operation: `${OP.image}/read`,
    handler: (ctx) => ok(view(needImage(ctx))),
  },
  {
    method: 'PATCH',
    template: IMAGE,
    operation: `${OP.image}/write`,
    handler: (ctx) => {
      const resource = needImage(ctx);
      const body = bodyOf(ctx);
      mergeTags(resource, body);
      resource.properties = imageProperties(body, resource);
      return acceptWrite(ctx, resource, false);
    },
  },
  {
    method: 'DELETE',
    template: IMAGE,
    operation: `${OP.image}/delete`,
    handler: (ctx) => deleteUnlessNested(ctx, imageId(ctx), 'versions'),
  },
  {
    method: 'GET',
    template: `${GALLERY}/images`,
    operation: `${OP.image}/read`,
    handler: (ctx) => {
      if (!ctx.sim.store.has(galleryId(ctx))) throw parentNotFound(ctx.params.galleryName!);
      return list(ctx.sim.store.children(galleryId(ctx), 'images').map(view));
    },
  },
];
