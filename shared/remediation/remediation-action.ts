import type { ComputeManagementClient, GalleryImageVersion, TargetRegion } from '@azure/arm-compute';
import type { ImageVersionRef } from '../arm/resource-id';
import type { Logger } from '../logging/logger';
import { ActionWaitError, isBusyConflict, TransientActionError } from '../azure/action-errors';
import type { ParamSchema } from './actions/params';
import type { RemediationRecord } from './remediation-record';
import { regionKey, versionStateOf, type VersionState } from './version-state';

/** A change to the publishing profile; absent fields stay as they are. */
export interface VersionPatch {
  readonly excludeFromLatest?: boolean;
  /** regionKey(name) → excludeFromLatest. */
  readonly regions?: Readonly<Record<string, boolean>>;
  /** ISO date, or null to clear the date. */
  readonly endOfLifeDate?: string | null;
}

export type Plan =
  | { readonly kind: 'patch'; readonly patch: VersionPatch; readonly reason: string }
  | { readonly kind: 'skip'; readonly reason: string }
  | { readonly kind: 'refuse'; readonly reason: string };

export interface PlanContext {
  readonly now: Date;
  readonly record: RemediationRecord;
}

/** How one step of a run ended, as recorded in its row and read by the action's `describe`. */
export interface StepSummary {
  readonly action: string;
  readonly outcome: 'applied' | 'skipped' | 'refused' | 'failed';
  readonly reason: string;
  readonly before?: VersionState;
  readonly after?: VersionState;
}

/** Who ran a step and for what: a verdict's run, or a person's request. */
export interface EffectContext {
  /** The run id, or the operator request id. */
  readonly runId: string;
  readonly now: Date;
  /** "gallery-guard" for a verdict, else the person who asked. */
  readonly actor: string;
}

/**
 * One registered remediation action: parameters declared by `schema` and checked once by `validate`
 * (a bad plan fails when it is loaded), a pure `plan` from the live state to a patch, and what the
 * action means for gallery-guard's own record and for a reader of the card. Reading, comparing,
 * patching, reading back and verifying is the same for every action and lives in
 * `applyRemediationAction`; the verdict loop (`runPlan`) calls these hooks and knows no action by name.
 */
export interface RemediationAction<P = unknown> {
  readonly name: string;
  readonly description: string;
  readonly schema: ParamSchema;
  readonly validate: (params: unknown) => P;
  readonly plan: (current: VersionState, params: P, context: PlanContext) => Plan;
  /** Before its PATCH: record what the action is about to own (flags it turns on). Default: nothing. */
  readonly claim?: (
    record: RemediationRecord,
    change: { readonly patch: VersionPatch; readonly before: VersionState },
    context: EffectContext,
  ) => RemediationRecord;
  /** After a step that did not fail (applied, skipped or refused): what it means for the record. */
  readonly settle?: (
    record: RemediationRecord,
    step: StepSummary,
    context: EffectContext,
  ) => RemediationRecord;
  /** One clause for the card's "Action taken", for a step that did not fail. */
  readonly describe: (step: StepSummary) => string;
  /** Having run (applied, or found already so) keeps the version out of latest: on-call is paged. */
  readonly quarantines?: boolean;
}

export interface ActionResult {
  readonly action: string;
  readonly outcome: 'applied' | 'skipped' | 'refused';
  readonly reason: string;
  readonly before: VersionState;
  readonly after: VersionState;
}

export interface ActionTarget {
  readonly compute: ComputeManagementClient;
  readonly ref: ImageVersionRef;
  readonly pollIntervalMs: number;
}

/**
 * How long to wait before looking again at a version that is still replicating: a multiple of the
 * LRO poll interval (GG_ARM_POLL_INTERVAL_MS: 30 s by default), at most a minute.
 */
export function busyRetryMs(target: Pick<ActionTarget, 'pollIntervalMs'>): number {
  return Math.min(60_000, Math.max(target.pollIntervalMs * 15, 1));
}

/**
 * A version whose provisioningState is not final is still replicating (validation starts once the
 * regions under test are Completed; the others may take hours) or being written: the gallery RP
 * refuses a PATCH then (409), so wait for it instead of spending an attempt.
 */
function refuseWhileBusy(version: GalleryImageVersion, action: string, retryAfterMs: number): void {
  const state = version.provisioningState ?? 'Succeeded';
  if (state === 'Creating' || state === 'Updating' || state === 'Migrating') {
    throw new ActionWaitError(`${action}: version is ${state} (replicating); waiting before the PATCH`, {
      retryAfterMs,
    });
  }
}

function withPatch(
  version: GalleryImageVersion,
  patch: VersionPatch,
): GalleryImageVersion['publishingProfile'] {
  const profile = version.publishingProfile ?? {};
  const targetRegions = (profile.targetRegions ?? []).map((region): TargetRegion => {
    const wanted = patch.regions?.[regionKey(region.name)];
    return wanted === undefined ? region : { ...region, excludeFromLatest: wanted };
  });
  return {
    // targetRegions is replaced as a whole by ARM: send every region back, changed or not.
    targetRegions,
    excludeFromLatest: patch.excludeFromLatest ?? profile.excludeFromLatest,
    // The SDK serialises null as JSON null, which is how a merge-patch clears the date.
    endOfLifeDate: (patch.endOfLifeDate === undefined
      ? profile.endOfLifeDate
      : patch.endOfLifeDate === null
        ? null
        : new Date(patch.endOfLifeDate)) as Date | undefined,
  };
}

export function patchSatisfied(state: VersionState, patch: VersionPatch): boolean {
  if (patch.excludeFromLatest !== undefined && state.excludeFromLatest !== patch.excludeFromLatest)
    return false;
  for (const [region, wanted] of Object.entries(patch.regions ?? {})) {
    const found = state.regions.find((r) => regionKey(r.name) === region);
    if (found !== undefined && found.excludeFromLatest !== wanted) return false;
  }
  if (patch.endOfLifeDate !== undefined) {
    const have = state.endOfLifeDate === undefined ? null : Date.parse(state.endOfLifeDate);
    const want = patch.endOfLifeDate === null ? null : Date.parse(patch.endOfLifeDate);
    if (have !== want) return false;
  }
  return true;
}

/**
 * Removes endOfLifeDate with a PUT of the version as read, minus the date. Whether the gallery RP's
 * PATCH treats a JSON null as "remove" (RFC 7396) is not documented; a PUT replaces the resource's
 * properties, which is how `az sig image-version update --remove publishingProfile.endOfLifeDate`
 * (a generic GET + PUT update) clears it. Same permission (versions/write) as the PATCH.
 */
async function clearEndOfLife(
  target: ActionTarget,
  read: GalleryImageVersion,
  logger: Logger,
): Promise<GalleryImageVersion> {
  const { ref } = target;
  logger.info('remediation: the PATCH kept endOfLifeDate; clearing it with a PUT');
  refuseWhileBusy(read, 'clear end of life', busyRetryMs(target));
  const { endOfLifeDate: _cleared, ...profile } = read.publishingProfile ?? {};
  const poller = target.compute.galleryImageVersions.createOrUpdate(
    ref.resourceGroup,
    ref.gallery,
    ref.image,
    ref.version,
    {
      location: read.location,
      tags: read.tags,
      publishingProfile: profile,
      storageProfile: read.storageProfile,
      safetyProfile: read.safetyProfile,
    },
    { updateIntervalInMs: target.pollIntervalMs },
  );
  await poller.pollUntilDone();
  return readVersion(target);
}

export async function readVersion(target: ActionTarget): Promise<GalleryImageVersion> {
  const { ref } = target;
  return target.compute.galleryImageVersions.get(ref.resourceGroup, ref.gallery, ref.image, ref.version);
}

/**
 * Reads the version, plans, PATCHes only when something differs, reads back and verifies. Safe to
 * repeat after a crash at any line: a repeat finds the change made and skips.
 */
export async function applyRemediationAction<P>(
  target: ActionTarget,
  action: RemediationAction<P>,
  params: P,
  context: PlanContext,
  logger: Logger,
  beforePatch?: (plan: Extract<Plan, { kind: 'patch' }>, before: VersionState) => Promise<void>,
): Promise<ActionResult> {
  const { ref } = target;
  const current = await readVersion(target);
  const before = versionStateOf(current);
  const plan = action.plan(before, params, context);
  if (plan.kind !== 'patch') {
    logger.info(`remediation ${action.name}: ${plan.kind}`, { action: action.name, reason: plan.reason });
    return {
      action: action.name,
      outcome: plan.kind === 'skip' ? 'skipped' : 'refused',
      reason: plan.reason,
      before,
      after: before,
    };
  }
  refuseWhileBusy(current, action.name, busyRetryMs(target));
  logger.info(`remediation ${action.name}: patching`, { action: action.name, reason: plan.reason });
  await beforePatch?.(plan, before);
  try {
    const poller = target.compute.galleryImageVersions.update(
      ref.resourceGroup,
      ref.gallery,
      ref.image,
      ref.version,
      { publishingProfile: withPatch(current, plan.patch) },
      { updateIntervalInMs: target.pollIntervalMs },
    );
    await poller.pollUntilDone();
  } catch (error) {
    if (isBusyConflict(error)) {
      throw new ActionWaitError(`${action.name}: the gallery refused the PATCH while busy`, {
        cause: error,
        retryAfterMs: busyRetryMs(target),
      });
    }
    throw error;
  }
  let read = await readVersion(target);
  if (plan.patch.endOfLifeDate === null && read.publishingProfile?.endOfLifeDate !== undefined) {
    read = await clearEndOfLife(target, read, logger);
  }
  const after = versionStateOf(read);
  if (!patchSatisfied(after, plan.patch)) {
    // Someone else wrote the version in between (a person, or a concurrent duplicate): plan again later.
    throw new TransientActionError(`${action.name}: the version read back does not show the change`);
  }
  return { action: action.name, outcome: 'applied', reason: plan.reason, before, after };
}
