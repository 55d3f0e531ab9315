import type { ComputeManagementClient } from '@azure/arm-compute';
import type { ImageVersionRef } from '../arm/resource-id';
import { isBusyConflict } from '../azure/action-errors';
import type { Config } from '../config';
import { regionKey, regionsOf } from '../gallery/latest-version';
import type { Logger } from '../logging/logger';
import { HOLD_TAG } from '../remediation/actions/promote';
import { applyRemediationAction } from '../remediation/remediation-action';
import { updateRecord, writeReleaseRow } from '../remediation/remediation-ledger';
import type { OperatorRequest } from '../remediation/release-version';
import type { VerdictActionsDeps } from '../remediation/verdict-actions-deps';
import { contextRefusal, loadVersionContext, rethrowClassified } from '../remediation/version-context';
import { versionStateOf } from '../remediation/version-state';
import { isHeldByPerson, setRegionalExclusion } from './regional-actions';
import { resolveLatest } from '../gallery/latest-resolution';

export type Protection =
  'protected' | 'already protected' | 'held by a person (untouched)' | 'busy (not protected)';

export interface RollbackOutcome {
  readonly status:
    'rolled-back' | 'nothing-to-roll-back' | 'held' | 'out-of-scope' | 'invalid' | 'version-not-found';
  readonly reason: string;
  /** Region → the version "latest" resolved to before / resolves to now (null: none qualifies). */
  readonly latestBefore?: Readonly<Record<string, string | null>>;
  readonly latestAfter?: Readonly<Record<string, string | null>>;
  /** Fallback version → what GG_ROLLBACK_PROTECT_PREVIOUS did to it. */
  readonly protection?: Readonly<Record<string, Protection>>;
}

/**
 * safetyProfile.allowDeletionOfReplicatedLocations=false: "Indicates whether or not removing this
 * Gallery Image Version from replicated regions is allowed" (GalleryImageVersionSafetyProfile,
 * azure-rest-api-specs GalleryRP 2022-03-03 and later; @azure/arm-compute). It blocks removing the
 * version's regional replicas, which is what keeps it resolvable as latest there; it does not block
 * deleting the version (blockDeletionBeforeEndOfLife needs an end-of-life date the fallback may not
 * have, so gallery-guard does not set it).
 */
async function protect(
  compute: ComputeManagementClient,
  ref: ImageVersionRef,
  name: string,
  config: Pick<Config['arm'], 'pollIntervalMs'>,
): Promise<Protection> {
  const version = await compute.galleryImageVersions.get(ref.resourceGroup, ref.gallery, ref.image, name);
  if (isHeldByPerson(versionStateOf(version))) return 'held by a person (untouched)';
  if (version.safetyProfile?.allowDeletionOfReplicatedLocations === false) return 'already protected';
  try {
    await compute.galleryImageVersions
      .update(
        ref.resourceGroup,
        ref.gallery,
        ref.image,
        name,
        { safetyProfile: { allowDeletionOfReplicatedLocations: false } },
        { updateIntervalInMs: config.pollIntervalMs },
      )
      .pollUntilDone();
    return 'protected';
  } catch (error) {
    if (isBusyConflict(error)) return 'busy (not protected)';
    throw error;
  }
}

/**
 * A person (or a failed version that is latest somewhere) rolls a version back: its regional
 * excludeFromLatest flags go on in every target region, so "latest" resolves to the previous good
 * version again; what latest resolves to is then re-read from ARM and reported per region. A version
 * carrying the gallery-guard-hold tag is never touched. The flags turned on are gallery-guard's own
 * (a later `gg release` lifts exactly those) and the version counts as quarantined: no pass promotes it.
 */
export async function rollbackVersion(
  deps: VerdictActionsDeps,
  request: OperatorRequest,
  logger: Logger,
): Promise<RollbackOutcome> {
  const log = logger.child({ versionId: request.versionId, requestId: request.requestId });
  const context = await loadVersionContext(deps, request.versionId, log);
  if (context.kind !== 'ok') return contextRefusal(context);
  const { ref, target } = context;
  const now = deps.clock();
  try {
    const current = await target.compute.galleryImageVersions.get(
      ref.resourceGroup,
      ref.gallery,
      ref.image,
      ref.version,
    );
    const regions = regionsOf(current);
    const before = await resolveLatest(target.compute, ref, regions);
    if (isHeldByPerson(versionStateOf(current))) {
      log.warn('rollback refused: a person holds the version', { tag: HOLD_TAG });
      return {
        status: 'held',
        reason: `version carries the ${HOLD_TAG} tag; nothing changed`,
        latestBefore: before.latest,
        latestAfter: before.latest,
      };
    }
    const action = setRegionalExclusion('rollback', regions, true);
    const result = await applyRemediationAction(
      target,
      action,
      action.validate(undefined),
      { now, record: context.stored.record },
      log,
      async (plan, state) => {
        const flipped = state.regions
          .filter((r) => !r.excludeFromLatest && plan.patch.regions?.[regionKey(r.name)] === true)
          .map((r) => regionKey(r.name));
        await updateRecord(deps.remediationTable, ref.key, (r) => ({
          ...r,
          ownedRegionExclusions: [...new Set([...r.ownedRegionExclusions, ...flipped])],
        }));
      },
    );
    await updateRecord(deps.remediationTable, ref.key, (r) => ({
      ...r,
      quarantinedRunId: request.requestId,
      releasedAt: undefined,
      releasedBy: undefined,
      gateHeld: false,
    }));
    const after = await resolveLatest(target.compute, ref, regions);
    const fallbacks = [...new Set(Object.values(after.latest).filter((v): v is string => v !== null))];
    const protection: Record<string, Protection> = {};
    if (deps.config.remediation.rollout.protectPrevious) {
      for (const name of fallbacks) {
        protection[name] = await protect(target.compute, ref, name, deps.config);
      }
    }
    const status = result.outcome === 'applied' ? 'rolled-back' : 'nothing-to-roll-back';
    const resolved = Object.entries(after.latest)
      .map(([r, v]) => `${r}→${v ?? 'none'}`)
      .join(', ');
    await writeReleaseRow(deps.remediationTable, ref.key, {
      kind: 'rollback',
      versionId: request.versionId,
      requestedBy: request.requestedBy.slice(0, 200),
      reason: request.reason.slice(0, 1000),
      requestId: request.requestId,
      outcome: `${status}: latest now ${resolved}`.slice(0, 1000),
      at: now.toISOString(),
    });
    log.info('version rolled back', { status, requestedBy: request.requestedBy, latest: after.latest });
    return {
      status,
      reason: result.reason,
      latestBefore: before.latest,
      latestAfter: after.latest,
      ...(deps.config.remediation.rollout.protectPrevious ? { protection } : {}),
    };
  } catch (error) {
    return rethrowClassified(error, 'rollback');
  }
}
