import { ArmError, invalidParameter, parentNotFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { Route } from '../router';
import { bodyOf, isObject, propertiesOf, str, requireResourceGroup, type Json, putIdentity } from './common';
import { GALLERY, IMAGE, OP, galleryId, imageId, needImage, acceptWrite } from './gallery-common';
import { galleryResourceRoutes } from './gallery-resource-routes';

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

export const imageRoutes: Route[] = galleryResourceRoutes({
  template: IMAGE,
  collection: `${GALLERY}/images`,
  type: OP.image,
  id: imageId,
  need: needImage,
  nested: 'versions',
  put: (ctx) => {
    requireResourceGroup(ctx);
    if (!ctx.sim.store.has(galleryId(ctx))) throw parentNotFound(ctx.params.galleryName!);
    const body = bodyOf(ctx);
    const existing = ctx.sim.store.get(imageId(ctx));
    const resource = ctx.sim.store.put({
      ...putIdentity(body, existing, imageId(ctx), ctx.params.galleryImageName!, OP.image),
      properties: imageProperties(body, existing),
    });
    return acceptWrite(ctx, resource, !existing);
  },
  patch: (ctx, resource, body) => {
    resource.properties = imageProperties(body, resource);
    return acceptWrite(ctx, resource, false);
  },
  members: (ctx) => {
    if (!ctx.sim.store.has(galleryId(ctx))) throw parentNotFound(ctx.params.galleryName!);
    return ctx.sim.store.children(galleryId(ctx), 'images');
  },
});
