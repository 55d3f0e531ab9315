import type { ComputeManagementClient, GalleryImageVersion } from '@azure/arm-compute';
import { galleryId, imageVersionId, type GalleryRef, type ImageVersionRef } from '../arm/resource-id';
import { redact } from '../logging/redact';
import { readProgress } from '../validation/run/validation-state';
import { Verdict } from '../verdict/verdict';
import type { OperatorDeps } from './operator-deps';
import { summaryOf, type RunSummary } from './run-summary';

export interface GalleryViewDeps extends OperatorDeps {
  /** ARM client for a gallery's subscription (the same clients verdict actions use). */
  readonly galleryCompute: (subscriptionId: string) => ComputeManagementClient;
}

/**
 * Where a version stands for VMs that ask for `latest`: `latest` (the one they get), `candidate`
 * (eligible but older), `excluded` (excludeFromLatest), `end-of-life` (its endOfLifeDate passed).
 */
export type LatestState = 'latest' | 'candidate' | 'excluded' | 'end-of-life';

export interface VersionView {
  readonly version: string;
  readonly versionId: string;
  readonly ref: string;
  readonly provisioningState?: string;
  readonly publishedDate?: string;
  readonly excludeFromLatest: boolean;
  readonly endOfLifeDate?: string;
  readonly state: LatestState;
  /** Excluded from latest after a Failed verdict: what gallery-guard's quarantine looks like. */
  readonly quarantined: boolean;
  /** The newest validation attempt, with its failing checks and the slowest VM's boot time. */
  readonly run?: RunSummary & {
    readonly failedChecks: readonly string[];
    readonly bootSeconds?: number;
  };
}

export interface DefinitionView {
  readonly name: string;
  readonly id: string;
  readonly osType?: string;
  readonly osState?: string;
  readonly owner?: string;
  /** Oldest first, so a sparkline reads left to right. */
  readonly versions: readonly VersionView[];
}

export interface GalleryView {
  readonly gallery: string;
  readonly id: string;
  readonly definitions: readonly DefinitionView[];
  /** Set when ARM could not be read for this gallery; the others are still shown. */
  readonly error?: string;
}

/** Narrows the view to one gallery and/or one image definition (names, case-insensitive). */
export interface GalleryFilter {
  readonly gallery?: string;
  readonly image?: string;
}

const same = (a: string, b: string | undefined): boolean =>
  b === undefined || b === '' || a.toLowerCase() === b.trim().toLowerCase();

export interface GalleryOverview {
  readonly checkedAt: string;
  readonly galleries: readonly GalleryView[];
}

/** Gallery versions are `Major.Minor.Patch` with 32-bit integer parts; compare them as numbers. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

interface ArmVersion {
  readonly version: string;
  readonly excluded: boolean;
  readonly endOfLife?: Date;
  readonly provisioningState?: string;
  readonly publishedDate?: Date;
}

/** A date ARM may send as null (a release clears endOfLifeDate) or not at all. */
const dateOf = (value: Date | null | undefined): Date | undefined =>
  value instanceof Date && !Number.isNaN(value.getTime()) ? value : undefined;

function armVersion(v: GalleryImageVersion): ArmVersion {
  const profile = v.publishingProfile;
  const endOfLife = dateOf(profile?.endOfLifeDate);
  const publishedDate = dateOf(profile?.publishedDate);
  return {
    version: v.name ?? '',
    excluded: profile?.excludeFromLatest === true,
    ...(endOfLife === undefined ? {} : { endOfLife }),
    ...(v.provisioningState === undefined ? {} : { provisioningState: v.provisioningState }),
    ...(publishedDate === undefined ? {} : { publishedDate }),
  };
}

/**
 * `latest` is the highest version a VM deployment may still pick: not excluded (the REST spec:
 * "If set to true, Virtual Machines deployed from the latest version of the Image Definition won't
 * use this Image Version"), not past its end of life, and provisioned.
 */
export function latestStates(versions: readonly ArmVersion[], now: Date): Map<string, LatestState> {
  const states = new Map<string, LatestState>();
  const eligible: string[] = [];
  for (const v of versions) {
    if (v.excluded) states.set(v.version, 'excluded');
    else if (v.endOfLife !== undefined && v.endOfLife.getTime() <= now.getTime())
      states.set(v.version, 'end-of-life');
    else {
      states.set(v.version, 'candidate');
      if (v.provisioningState === undefined || v.provisioningState === 'Succeeded') eligible.push(v.version);
    }
  }
  const latest = eligible.sort(compareVersions).at(-1);
  if (latest !== undefined) states.set(latest, 'latest');
  return states;
}

async function latestRun(deps: GalleryViewDeps, ref: ImageVersionRef): Promise<VersionView['run']> {
  const run = await deps.ledger.latestAttempt(ref);
  if (run === undefined) return undefined;
  const { state } = readProgress(run.extra);
  const boots = state.vms.flatMap((vm) => (vm.bootSeconds === undefined ? [] : [vm.bootSeconds]));
  return {
    ...summaryOf(run),
    failedChecks: [...new Set(state.checks.filter((c) => c.status === 'Failed').map((c) => c.name))],
    ...(boots.length === 0 ? {} : { bootSeconds: Math.max(...boots) }),
  };
}

/** Runs `work` over `items`, at most `limit` at a time (one Table query per version). */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>) {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function definitionsOf(
  deps: GalleryViewDeps,
  scope: GalleryRef,
  now: Date,
  filter: GalleryFilter,
): Promise<DefinitionView[]> {
  const compute = deps.galleryCompute(scope.subscriptionId);
  const definitions: DefinitionView[] = [];
  for await (const image of compute.galleryImages.listByGallery(scope.resourceGroup, scope.gallery)) {
    const name = image.name ?? '';
    if (!same(name, filter.image)) continue;
    const arm: ArmVersion[] = [];
    for await (const v of compute.galleryImageVersions.listByGalleryImage(
      scope.resourceGroup,
      scope.gallery,
      name,
    )) {
      arm.push(armVersion(v));
    }
    arm.sort((a, b) => compareVersions(a.version, b.version));
    const states = latestStates(arm, now);
    const versions = await mapLimited(arm, 8, async (v): Promise<VersionView> => {
      const ref = { ...scope, image: name, version: v.version };
      const versionId = imageVersionId(ref);
      const run = await latestRun(deps, { ...ref, key: versionId.toLowerCase(), galleryKey: scope.key });
      return {
        version: v.version,
        versionId,
        ref: `${name}/${v.version}`,
        ...(v.provisioningState === undefined ? {} : { provisioningState: v.provisioningState }),
        ...(v.publishedDate === undefined ? {} : { publishedDate: v.publishedDate.toISOString() }),
        excludeFromLatest: v.excluded,
        ...(v.endOfLife === undefined ? {} : { endOfLifeDate: v.endOfLife.toISOString() }),
        state: states.get(v.version) ?? 'candidate',
        quarantined: v.excluded && run?.verdict === Verdict.Failed,
        ...(run === undefined ? {} : { run }),
      };
    });
    definitions.push({
      name,
      id: image.id ?? `${galleryId(scope)}/images/${name}`,
      ...(image.osType === undefined ? {} : { osType: image.osType }),
      ...(image.osState === undefined ? {} : { osState: image.osState }),
      ...(image.tags?.owner === undefined ? {} : { owner: image.tags.owner }),
      versions,
    });
  }
  return definitions.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * The dashboard's gallery view: every gallery in scope → its image definitions → their versions with
 * the latest/excluded/end-of-life state ARM reports and each version's newest run from the ledger.
 * A gallery ARM cannot read is reported with its error; the rest are still listed.
 */
export async function galleryOverview(
  deps: GalleryViewDeps,
  filter: GalleryFilter = {},
): Promise<GalleryOverview> {
  const now = deps.clock();
  const scopes = deps.config.ingest.galleryScopes.filter((scope) => same(scope.gallery, filter.gallery));
  const galleries = await Promise.all(
    scopes.map(async (scope): Promise<GalleryView> => {
      const base = { gallery: scope.gallery, id: galleryId(scope) };
      try {
        return { ...base, definitions: await definitionsOf(deps, scope, now, filter) };
      } catch (error) {
        deps.logger.warn('could not read a gallery for the dashboard', { gallery: base.id, error });
        const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        return { ...base, definitions: [], error: String(redact(text)).slice(0, 300) };
      }
    }),
  );
  return { checkedAt: now.toISOString(), galleries };
}
