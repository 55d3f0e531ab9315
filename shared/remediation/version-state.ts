import type { GalleryImageVersion } from '@azure/arm-compute';

/** The parts of an image version that verdict actions read and change, as plain data for the records. */
export interface RegionFlag {
  readonly name: string;
  readonly excludeFromLatest: boolean;
}

export interface VersionState {
  readonly excludeFromLatest: boolean;
  readonly regions: readonly RegionFlag[];
  readonly endOfLifeDate?: string;
  readonly tags: Readonly<Record<string, string>>;
}

export function versionStateOf(version: GalleryImageVersion): VersionState {
  const profile = version.publishingProfile;
  return {
    excludeFromLatest: profile?.excludeFromLatest ?? false,
    regions: (profile?.targetRegions ?? []).map((r) => ({
      name: r.name,
      excludeFromLatest: r.excludeFromLatest ?? false,
    })),
    endOfLifeDate: profile?.endOfLifeDate?.toISOString(),
    tags: version.tags ?? {},
  };
}

/** Region names compare case- and space-insensitively ("West Europe" = "westeurope"). */
export { regionKey } from '../gallery/latest-version';

/** True when the version is kept out of "latest" at the version level and in every target region. */
export function isFullyExcluded(state: VersionState): boolean {
  return state.excludeFromLatest && state.regions.every((r) => r.excludeFromLatest);
}
