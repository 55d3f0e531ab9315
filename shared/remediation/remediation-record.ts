import type { RemediationMode } from '../config';
import type { RegionFlag, VersionState } from './version-state';

/**
 * What gallery-guard knows about one version beyond the live ARM state: the flags found on first
 * contact (before it ever acted) and which exclusions it made itself. Only those exclusions may ever be
 * undone by gallery-guard; anything else was set by a person and is left alone.
 */
export interface RemediationRecord {
  readonly versionId: string;
  readonly firstSeenAt: string;
  /** Mode in force when the version was first seen. */
  readonly firstMode: RemediationMode;
  readonly firstState: Pick<VersionState, 'excludeFromLatest' | 'regions' | 'endOfLifeDate'>;
  /**
   * Gate mode and published excluded (version flag or a region flag): the exclusion belongs to the
   * gate, and a Passed verdict may lift exactly what was excluded at first contact.
   */
  readonly gateHeld: boolean;
  /** Exclusions gallery-guard itself made while quarantining (flags that were false before). */
  readonly ownedVersionExclusion: boolean;
  readonly ownedRegionExclusions: readonly string[];
  /** True when the end-of-life date was set by gallery-guard (not found on the version). */
  readonly ownedEndOfLife: boolean;
  readonly quarantinedRunId?: string;
  readonly promotedRunId?: string;
  readonly releasedAt?: string;
  readonly releasedBy?: string;
  readonly remediationFailedRunId?: string;
  /** A page (trigger) was delivered and not yet resolved. */
  readonly pageOpen: boolean;
}

export function firstContactRecord(
  versionId: string,
  state: VersionState,
  mode: RemediationMode,
  now: Date,
): RemediationRecord {
  const gateHeld =
    mode === 'gate' && (state.excludeFromLatest || state.regions.some((r) => r.excludeFromLatest));
  return {
    versionId,
    firstSeenAt: now.toISOString(),
    firstMode: mode,
    firstState: {
      excludeFromLatest: state.excludeFromLatest,
      regions: state.regions.map((r): RegionFlag => ({
        name: r.name,
        excludeFromLatest: r.excludeFromLatest,
      })),
      endOfLifeDate: state.endOfLifeDate,
    },
    gateHeld,
    ownedVersionExclusion: false,
    ownedRegionExclusions: [],
    ownedEndOfLife: false,
    pageOpen: false,
  };
}

/** A quarantine is in force when gallery-guard excluded the version and nobody released it since. */
export function isQuarantined(record: RemediationRecord): boolean {
  return record.quarantinedRunId !== undefined && record.releasedAt === undefined;
}
