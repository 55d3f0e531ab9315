import { invalidParameter, parentNotFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { RequestContext, Route } from '../router';
import type { SimState } from '../sim-state';
import {
  bodyOf,
  clone,
  displayRegion,
  isObject,
  normaliseRegion,
  propertiesOf,
  requireLocation,
  requireResourceGroup,
  view,
  type Json,
  putIdentity,
} from './common';
import {
  IMAGE,
  VERSION,
  OP,
  WRITE_SECONDS,
  imageId,
  versionId,
  imagePath,
  needVersion,
  acceptWrite,
  REPLICATION_SECONDS_PER_REGION,
} from './gallery-common';
import { galleryResourceRoutes } from './gallery-resource-routes';

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

const lastPublished = new WeakMap<object, number>();

/**
 * publishedDate of a new version: wall-clock time of the create, strictly increasing per simulator.
 * ARM keeps it across updates and gives a re-created version a new one (the REST spec's read-only
 * "timestamp for when the gallery image version is published", with 100 ns resolution); milliseconds
 * are the simulator's resolution, so two creates in one millisecond get consecutive ones.
 */
function newPublishedDate(ctx: RequestContext): string {
  const wall = Date.parse(ctx.sim.clock.wallIso());
  const next = Math.max(wall, (lastPublished.get(ctx.sim) ?? 0) + 1);
  lastPublished.set(ctx.sim, next);
  return new Date(next).toISOString();
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
      publishedDate: previous.publishedDate ?? newPublishedDate(ctx),
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

export const versionRoutes: Route[] = galleryResourceRoutes({
  template: VERSION,
  collection: `${IMAGE}/versions`,
  type: OP.version,
  id: versionId,
  need: needVersion,
  put: (ctx) => {
    requireResourceGroup(ctx);
    if (!ctx.sim.store.has(imageId(ctx))) throw parentNotFound(imagePath(ctx));
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
      ...putIdentity(
        body,
        existing,
        versionId(ctx),
        ctx.params.galleryImageVersionName!,
        OP.version,
        location,
      ),
      properties: versionProperties(ctx, body, location, existing),
    });
    const profile = resource.properties.publishingProfile as { targetRegions: TargetRegion[] };
    const seconds = replicate(ctx.sim, resource.id, profile.targetRegions);
    return acceptWrite(ctx, resource, !existing, Math.max(seconds, WRITE_SECONDS));
  },
  patch: (ctx, resource, body) => {
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
    if (isObject(p.safetyProfile)) Object.assign(resource.properties.safetyProfile as Json, p.safetyProfile);
    resource.properties.provisioningState = 'Updating';
    return acceptWrite(ctx, resource, false, seconds);
  },
  members: (ctx) => {
    if (!ctx.sim.store.has(imageId(ctx))) throw parentNotFound(imagePath(ctx));
    return ctx.sim.store.children(imageId(ctx), 'versions');
  },
  present: versionView,
});
