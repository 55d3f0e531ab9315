import type { GalleryImageVersion } from '@azure/arm-compute';
import { classifyArmError } from '../../azure/arm-error-classification';
import type { PhaseFunction, PhaseResult, RunView } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import type { ValidationState } from '../run/validation-state';

/** Null when the version is gone (deleted after the event): the run is cancelled. */
export async function getVersion(
  ctx: Parameters<PhaseFunction>[0],
  run: RunView,
): Promise<GalleryImageVersion | null> {
  const { subscriptionId, resourceGroup, gallery, image, version } = run.version;
  try {
    return await ctx
      .galleryCompute(subscriptionId)
      .galleryImageVersions.get(resourceGroup, gallery, image, version, { expand: 'ReplicationStatus' });
  } catch (error) {
    if (classifyArmError(error).fault === 'NotFound') return null;
    throw error;
  }
}

export function cancelled(state: ValidationState): PhaseResult {
  return {
    next: Phase.CleanUp,
    state: { ...state, cancelled: true },
    reason: 'the image version no longer exists',
  };
}
