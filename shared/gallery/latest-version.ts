import type { GalleryImageVersion } from '@azure/arm-compute';

/** Region names compared as ARM does: case and spaces ignored ("East US" = "eastus"). */
export const regionKey = (name: string): string => name.toLowerCase().replace(/\s+/g, '');

/** Major.Minor.Patch as numbers; versions that are not SemVer never become latest. */
function semver(name: string): readonly [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(name);
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function compareSemver(a: string, b: string): number {
  const [x, y] = [semver(a), semver(b)];
  if (x === undefined || y === undefined) return x === undefined ? (y === undefined ? 0 : -1) : 1;
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * Whether `version` is excluded from "latest" in `region`. The regional flag
 * (publishingProfile.targetRegions[].excludeFromLatest, azure-rest-api-specs GalleryRP 2023-07-03
 * TargetRegion) wins over the version-wide one when both are set ("the regional flag will take
 * precedence when both are specified": learn.microsoft.com/azure/virtual-machines/azure-compute-gallery#best-practices).
 */
export function isExcludedIn(version: GalleryImageVersion, region: string): boolean {
  const profile = version.publishingProfile;
  const target = profile?.targetRegions?.find((r) => regionKey(r.name) === regionKey(region));
  return target?.excludeFromLatest ?? profile?.excludeFromLatest ?? false;
}

/** Indexes of targetRegions entries that carry their own excludeFromLatest (a fix must set them too). */
export function regionalFlagIndexes(version: GalleryImageVersion): number[] {
  return (version.publishingProfile?.targetRegions ?? []).flatMap((r, i) =>
    r.excludeFromLatest === undefined ? [] : [i],
  );
}

/** The regions a version is published to (its target regions). */
export function regionsOf(version: GalleryImageVersion): string[] {
  return (version.publishingProfile?.targetRegions ?? []).map((r) => regionKey(r.name));
}

/** Replicas of the version in `region`: the regional count, else the version-wide replicaCount. */
export function replicasIn(version: GalleryImageVersion, region: string): number {
  const profile = version.publishingProfile;
  const target = profile?.targetRegions?.find((r) => regionKey(r.name) === regionKey(region));
  return target?.regionalReplicaCount ?? profile?.replicaCount ?? 1;
}

/**
 * The version `latest` resolves to in each region, as Azure resolves it: among the versions published
 * to the region and not excluded from latest there, the highest semantic version.
 */
export function latestPerRegion<V extends GalleryImageVersion & { readonly name: string }>(
  versions: readonly V[],
): Map<string, V> {
  const latest = new Map<string, V>();
  for (const version of versions) {
    if (semver(version.name) === undefined) continue;
    for (const region of regionsOf(version)) {
      if (isExcludedIn(version, region)) continue;
      const current = latest.get(region);
      if (current === undefined || compareSemver(version.name, current.name) > 0) latest.set(region, version);
    }
  }
  return latest;
}
