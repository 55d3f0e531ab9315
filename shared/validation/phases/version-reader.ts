import type { GalleryImageVersion } from '@azure/arm-compute';
import { classifyArmError } from '../../azure/arm-error-classification';
import { versionInstanceId } from '../../azure/version-instance';
import type { PhaseFunction, PhaseResult, RunView } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import type { ValidationState } from '../run/validation-state';

/** What ARM shows for the version a run is about. */
export type RunVersionRead =
  | { readonly kind: 'found'; readonly version: GalleryImageVersion; readonly instanceId: string }
  /** The run's instance is gone: deleted, or replaced by a re-publish under the same number. */
  | { readonly kind: 'gone'; readonly reason: string }
  /** The run waits for ARM to show the version a signal named (it never saw an instance). */
  | { readonly kind: 'not-shown'; readonly reason: string };

/** Reads the version (with ReplicationStatus) and checks it is still the instance the run is for. */
export async function readRunVersion(
  ctx: Parameters<PhaseFunction>[0],
  run: RunView,
): Promise<RunVersionRead> {
  const { subscriptionId, resourceGroup, gallery, image, version } = run.version;
  let found: GalleryImageVersion;
  try {
    found = await ctx
      .galleryCompute(subscriptionId)
      .galleryImageVersions.get(resourceGroup, gallery, image, version, { expand: 'ReplicationStatus' });
  } catch (error) {
    if (classifyArmError(error).fault !== 'NotFound') throw error;
    return run.instanceId === undefined
      ? { kind: 'not-shown', reason: 'ARM answers 404 for the version' }
      : { kind: 'gone', reason: 'the image version no longer exists' };
  }
  const instanceId = versionInstanceId(found);
  if (instanceId === undefined) {
    return run.instanceId === undefined
      ? { kind: 'not-shown', reason: 'ARM shows no publishedDate yet' }
      : { kind: 'gone', reason: 'the version ARM shows has no publishedDate' };
  }
  if (run.instanceId !== undefined && instanceId !== run.instanceId) {
    return {
      kind: 'gone',
      reason: `the version was published again (${instanceId}); this run was for the instance of ${run.instanceId}, the new one gets its own run`,
    };
  }
  return { kind: 'found', version: found, instanceId };
}

export function cancelled(
  state: ValidationState,
  reason = 'the image version no longer exists',
): PhaseResult {
  return { next: Phase.CleanUp, state: { ...state, cancelled: true }, reason };
}

/** Most a run waiting for ARM sleeps between two looks. */
export const MAX_UNCONFIRMED_POLL_MS = 5 * 60_000;

/**
 * A run started by a signal for a version ARM does not show: look again later, backing off from the
 * poll interval to 5 minutes, until GG_UNCONFIRMED_WAIT_MINUTES after the run was created; then the
 * run ends Cancelled (a later signal or the sweep starts a new run once ARM shows the version).
 */
export function awaitArm(
  ctx: Parameters<PhaseFunction>[0],
  run: RunView,
  phase: Phase,
  why: string,
): PhaseResult {
  const waited = ctx.clock().getTime() - Date.parse(run.firstSeenAt);
  if (waited >= ctx.options.unconfirmedWaitMs) {
    const minutes = Math.round(ctx.options.unconfirmedWaitMs / 60_000);
    return cancelled(run.state, `ARM did not show the version within ${minutes} min (${why})`);
  }
  const base = Math.max(ctx.options.pollMs, 1000);
  const afterMs = Math.min(base * 2 ** Math.min(run.phaseAttempt - 1, 10), MAX_UNCONFIRMED_POLL_MS);
  return { next: phase, state: run.state, afterMs, reason: `waiting for ARM: ${why}` };
}
