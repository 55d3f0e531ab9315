import { ArmError, invalidParameter, notFound, parentNotFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { HandlerResult, RequestContext, Route } from '../router';
import type { SimState } from '../sim-state';
import {
  bodyOf,
  clone,
  displayRegion,
  isObject,
  list,
  normaliseRegion,
  ok,
  propertiesOf,
  str,
  requireLocation,
  requireResourceGroup,
  scopeOf,
  tagsOf,
  view,
  type Json,
} from './common';

const GALLERY =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/galleries/{galleryName}';
const IMAGE = `${GALLERY}/images/{galleryImageName}`;
const VERSION = `${IMAGE}/versions/{galleryImageVersionName}`;
const OP = {
  gallery: 'Microsoft.Compute/galleries',
  image: 'Microsoft.Compute/galleries/images',
  version: 'Microsoft.Compute/galleries/images/versions',
} as const;

/** Sim seconds a gallery-level write takes before its LRO reports Succeeded. */
const WRITE_SECONDS = 5;
/** Sim seconds to replicate a version to one region; regions replicate one after another. */
export const REPLICATION_SECONDS_PER_REGION = 120;

const galleryId = (ctx: RequestContext): string =>
  `/subscriptions/${ctx.params.subscriptionId!}/resourceGroups/${ctx.params.resourceGroupName!}/providers/Microsoft.Compute/galleries/${ctx.params.galleryName!}`;
const imageId = (ctx: RequestContext): string => `${galleryId(ctx)}/images/${ctx.params.galleryImageName!}`;
const versionId = (ctx: RequestContext): string =>
  `${imageId(ctx)}/versions/${ctx.params.galleryImageVersionName!}`;

function need(ctx: RequestContext, id: string, type: string, name: string): ArmResource {
  const found = ctx.sim.store.get(id);
  if (!found) throw notFound(type, name, ctx.params.resourceGroupName!);
  return found;
}

/** 201/200 with the resource and an Azure-AsyncOperation header; the write finishes after `seconds`. */
function acceptWrite(
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

function acceptDelete(ctx: RequestContext, resource: ArmResource, seconds: number): HandlerResult {
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

function mergeTags(resource: ArmResource, body: Json): void {
  const tags = tagsOf(body);
  if (tags !== undefined) resource.tags = tags;
}

// --- galleries ------------------------------------------------------------------------------------
const galleryRoutes: Route[] = [
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

// --- image definitions ----------------------------------------------------------------------------
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

const imageRoutes: Route[] = [
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
    template: IMAGE,
    operation: `${OP.image}/read`,
    handler: (ctx) =>
      ok(
        view(need(ctx, imageId(ctx), OP.image, `${ctx.params.galleryName!}/${ctx.params.galleryImageName!}`)),
      ),
  },
  {
    method: 'PATCH',
    template: IMAGE,
    operation: `${OP.image}/write`,
    handler: (ctx) => {
      const resource = need(
        ctx,
        imageId(ctx),
        OP.image,
        `${ctx.params.galleryName!}/${ctx.params.galleryImageName!}`,
      );
      const body = bodyOf(ctx);
      mergeTags(resource, body);
      resource.properties = imageProperties(body, resource);
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
    template: IMAGE,
    operation: `${OP.image}/delete`,
    handler: (ctx) => {
      const resource = ctx.sim.store.get(imageId(ctx));
      if (!resource) return { status: 204 };
      if (ctx.sim.store.children(resource.id, 'versions').length > 0) {
        throw new ArmError(
          409,
          'CannotDeleteResource',
          'Can not delete resource before nested resources are deleted.',
        );
      }
      return acceptDelete(ctx, resource, WRITE_SECONDS);
    },
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

// --- image versions -------------------------------------------------------------------------------
interface TargetRegion {
  name: string;
  regionalReplicaCount?: number;
  storageAccountType?: string;
  excludeFromLatest?: boolean;
  [key: string]: unknown;
}

function targetRegionsOf(publishingProfile: Json, location: string): TargetRegion[] {
  const raw = publishingProfile.targetRegions;
  if (raw === undefined)
    return [
      {
        name: location,
        regionalReplicaCount: 1,
        storageAccountType: 'Standard_LRS',
        excludeFromLatest: false,
      },
    ];
  if (!Array.isArray(raw) || !raw.every((r) => isObject(r) && typeof r.name === 'string')) {
    throw invalidParameter(
      'The targetRegions must be a list of regions with a name.',
      'galleryImageVersion.properties.publishingProfile.targetRegions',
    );
  }
  const names = (raw as TargetRegion[]).map((r) => normaliseRegion(r.name));
  if (new Set(names).size !== names.length) {
    throw invalidParameter(
      'Duplicate regions are not allowed in target publishing regions.',
      'galleryImageVersion.properties.publishingProfile.targetRegions',
    );
  }
  if (!names.includes(normaliseRegion(location))) {
    throw invalidParameter(
      `Gallery image version publishing profile regions '${names.join(', ')}' must contain the location of image version '${location}'.`,
      'galleryImageVersion.properties.publishingProfile.targetRegions',
    );
  }
  return (raw as TargetRegion[]).map((r) => ({
    regionalReplicaCount: 1,
    storageAccountType: 'Standard_LRS',
    excludeFromLatest: false,
    ...r,
    name: displayRegion(r.name),
  }));
}

/** Starts replication for regions not yet replicated (or replicating). */
function replicate(sim: SimState, id: string, regions: TargetRegion[]): number {
  const key = id.toLowerCase();
  const now = sim.clock.elapsedMs();
  const existing = sim.replication.get(key)?.regions ?? [];
  const kept = existing.filter((e) =>
    regions.some((r) => normaliseRegion(r.name) === normaliseRegion(e.name)),
  );
  let cursor = Math.max(now, ...kept.map((k) => k.doneMs));
  const added = regions
    .filter((r) => !kept.some((k) => normaliseRegion(k.name) === normaliseRegion(r.name)))
    .map((r) => {
      const startMs = cursor;
      cursor += REPLICATION_SECONDS_PER_REGION * 1000;
      return { name: r.name, startMs, doneMs: cursor };
    });
  sim.replication.set(key, { regions: [...kept, ...added] });
  return Math.max(0, (cursor - now) / 1000);
}

export function replicationStatus(sim: SimState, id: string): Json {
  const now = sim.clock.elapsedMs();
  const regions = sim.replication.get(id.toLowerCase())?.regions ?? [];
  const summary = regions.map((r) => {
    const done = now >= r.doneMs;
    const progress = done ? 100 : Math.max(0, Math.floor(((now - r.startMs) / (r.doneMs - r.startMs)) * 100));
    return {
      region: displayRegion(r.name),
      state: done ? 'Completed' : 'Replicating',
      details: '',
      progress,
    };
  });
  return {
    aggregatedState: summary.every((s) => s.state === 'Completed') ? 'Completed' : 'InProgress',
    summary,
  };
}

/** True when the version has finished replicating to `region`. */
export function isReplicatedTo(sim: SimState, id: string, region: string): boolean {
  const r = sim.replication
    .get(id.toLowerCase())
    ?.regions.find((x) => normaliseRegion(x.name) === normaliseRegion(region));
  return r !== undefined && sim.clock.elapsedMs() >= r.doneMs;
}

function versionView(ctx: RequestContext, resource: ArmResource): Json {
  const out = view(resource);
  if ((ctx.query.get('$expand') ?? '').toLowerCase() === 'replicationstatus') {
    out.properties = {
      ...clone(resource.properties),
      replicationStatus: replicationStatus(ctx.sim, resource.id),
    };
  }
  return out;
}

function versionProperties(ctx: RequestContext, body: Json, location: string, existing?: ArmResource): Json {
  const p = propertiesOf(body);
  const publishingProfile = isObject(p.publishingProfile) ? p.publishingProfile : {};
  const previous = (existing?.properties.publishingProfile ?? {}) as Json;
  const storageProfile = isObject(p.storageProfile)
    ? p.storageProfile
    : ((existing?.properties.storageProfile as Json | undefined) ?? {});
  return {
    publishingProfile: {
      replicaCount: 1,
      excludeFromLatest: false,
      storageAccountType: 'Standard_LRS',
      replicationMode: 'Full',
      ...previous,
      ...publishingProfile,
      targetRegions: targetRegionsOf(publishingProfile, location),
      publishedDate: previous.publishedDate ?? ctx.sim.clock.wallIso(),
    },
    storageProfile: {
      osDiskImage: { sizeInGB: 30, hostCaching: 'ReadWrite' },
      ...storageProfile,
    },
    safetyProfile: {
      allowDeletionOfReplicatedLocations: true,
      reportedForPolicyViolation: false,
      blockDeletionBeforeEndOfLife: false,
      ...(isObject(p.safetyProfile) ? p.safetyProfile : (existing?.properties.safetyProfile ?? {})),
    },
    provisioningState: existing ? 'Updating' : 'Creating',
  };
}

const versionRoutes: Route[] = [
  {
    method: 'PUT',
    template: VERSION,
    operation: `${OP.version}/write`,
    handler: (ctx) => {
      requireResourceGroup(ctx);
      if (!ctx.sim.store.has(imageId(ctx)))
        throw parentNotFound(`${ctx.params.galleryName!}/${ctx.params.galleryImageName!}`);
      if (!/^\d+\.\d+\.\d+$/.test(ctx.params.galleryImageVersionName!)) {
        throw invalidParameter(
          "The gallery image version name is invalid. The version name must follow SemVer pattern 'Major(int).Minor(int).Patch(int)'.",
          'galleryImageVersionName',
        );
      }
      const body = bodyOf(ctx);
      const location = requireLocation(body);
      const existing = ctx.sim.store.get(versionId(ctx));
      const resource = ctx.sim.store.put({
        id: existing?.id ?? versionId(ctx),
        name: existing?.name ?? ctx.params.galleryImageVersionName!,
        type: OP.version,
        location,
        tags: tagsOf(body) ?? existing?.tags ?? {},
        properties: versionProperties(ctx, body, location, existing),
      });
      const profile = resource.properties.publishingProfile as { targetRegions: TargetRegion[] };
      const seconds = replicate(ctx.sim, resource.id, profile.targetRegions);
      return acceptWrite(
        ctx,
        resource,
        !existing,
        Math.max(seconds, WRITE_SECONDS),
        () => (resource.properties.provisioningState = 'Succeeded'),
      );
    },
  },
  {
    method: 'GET',
    template: VERSION,
    operation: `${OP.version}/read`,
    handler: (ctx) =>
      ok(
        versionView(
          ctx,
          need(
            ctx,
            versionId(ctx),
            OP.version,
            `${ctx.params.galleryName!}/${ctx.params.galleryImageName!}/${ctx.params.galleryImageVersionName!}`,
          ),
        ),
      ),
  },
  {
    method: 'PATCH',
    template: VERSION,
    operation: `${OP.version}/write`,
    handler: (ctx) => {
      const resource = need(
        ctx,
        versionId(ctx),
        OP.version,
        `${ctx.params.galleryName!}/${ctx.params.galleryImageName!}/${ctx.params.galleryImageVersionName!}`,
      );
      const body = bodyOf(ctx);
      mergeTags(resource, body);
      const p = propertiesOf(body);
      const publishingProfile = resource.properties.publishingProfile as Json;
      let seconds = WRITE_SECONDS;
      if (isObject(p.publishingProfile)) {
        const { targetRegions, publishedDate: _ignored, ...rest } = p.publishingProfile;
        Object.assign(publishingProfile, rest);
        if (targetRegions !== undefined) {
          publishingProfile.targetRegions = targetRegionsOf({ targetRegions }, resource.location ?? 'eastus');
          seconds = Math.max(
            seconds,
            replicate(ctx.sim, resource.id, publishingProfile.targetRegions as TargetRegion[]),
          );
        }
      }
      if (isObject(p.safetyProfile))
        Object.assign(resource.properties.safetyProfile as Json, p.safetyProfile);
      resource.properties.provisioningState = 'Updating';
      return acceptWrite(
        ctx,
        resource,
        false,
        seconds,
        () => (resource.properties.provisioningState = 'Succeeded'),
      );
    },
  },
  {
    method: 'DELETE',
    template: VERSION,
    operation: `${OP.version}/delete`,
    handler: (ctx) => {
      const resource = ctx.sim.store.get(versionId(ctx));
      return resource ? acceptDelete(ctx, resource, WRITE_SECONDS) : { status: 204 };
    },
  },
  {
    method: 'GET',
    template: `${IMAGE}/versions`,
    operation: `${OP.version}/read`,
    handler: (ctx) => {
      if (!ctx.sim.store.has(imageId(ctx)))
        throw parentNotFound(`${ctx.params.galleryName!}/${ctx.params.galleryImageName!}`);
      return list(ctx.sim.store.children(imageId(ctx), 'versions').map((v) => versionView(ctx, v)));
    },
  },
];

export const galleryProviderRoutes: Route[] = [...galleryRoutes, ...imageRoutes, ...versionRoutes];
