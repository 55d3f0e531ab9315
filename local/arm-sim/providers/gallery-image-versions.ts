import { ArmError, invalidParameter, parentNotFound } from '../arm-error';
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
    // No regional excludeFromLatest unless the client sent one: when present it wins over the
    // version-wide flag (see vm-rules.ts), so defaulting it to false would un-exclude the version.
    ...r,
    name: displayRegion(r.name),
  }));
}

/** Starts replication for regions not yet replicated (or replicating). */
function replicate(sim: SimState, id: string, regions: TargetRegion[]): number {
  const perRegion = sim.settings.replicationSecondsPerRegion ?? REPLICATION_SECONDS_PER_REGION;
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
      cursor += perRegion * 1000;
      return { name: r.name, startMs, doneMs: cursor };
    });
  sim.replication.set(key, { regions: [...kept, ...added] });
  return Math.max(0, (cursor - now) / 1000);
}

const withoutNulls = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null));

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

/**
 * A write on a version whose replication (or another write) is still running is refused, as the
 * gallery RP refuses an update of a version in progress: 409 OperationNotAllowed. The exact message
 * for a replicating version is not documented; the documented one for a version being deleted reads
 * "Operation 'Update Gallery Image Version' is not allowed on <version> since it is marked for
 * deletion ... (or wait for an ongoing one to complete)" (Troubleshoot images in an Azure Compute
 * Gallery). README "Deploy to Azure" lists the az commands that confirm it on a real subscription.
 */
function refuseWhileInProgress(resource: ArmResource): void {
  const state = String(resource.properties.provisioningState);
  if (state === 'Deleting') {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation 'Update Gallery Image Version' is not allowed on ${resource.name} since it is marked for deletion. You can only retry the Delete operation (or wait for an ongoing one to complete).`,
    );
  }
  if (state === 'Creating' || state === 'Updating') {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation 'Update Gallery Image Version' is not allowed on ${resource.name} since another operation is in progress (provisioningState '${state}': replication to its target regions has not finished). Wait for the ongoing operation to complete.`,
    );
  }
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
  // A PUT replaces the writable properties; only the read-only publishedDate survives it.
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
      ...withoutNulls(publishingProfile),
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
    if (existing) refuseWhileInProgress(existing);
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
    refuseWhileInProgress(resource);
    const p = propertiesOf(body);
    const publishingProfile = resource.properties.publishingProfile as Json;
    let seconds = WRITE_SECONDS;
    if (isObject(p.publishingProfile)) {
      const { targetRegions, publishedDate: _ignored, ...rest } = p.publishingProfile;
      // Whether the gallery RP treats a JSON null in a PATCH as "remove" (RFC 7396) or as "not given"
      // is not documented; the simulator ignores nulls unless told otherwise (galleryPatchNull), the
      // stricter assumption: a client must then clear a property with a PUT, which works either way.
      Object.assign(publishingProfile, withoutNulls(rest));
      if (ctx.sim.settings.galleryPatchNull === 'clear') {
        for (const [k, v] of Object.entries(rest)) if (v === null) delete publishingProfile[k];
      }
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
