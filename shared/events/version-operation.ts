import { parseImageVersionId, ResourceIdError, type ImageVersionRef } from '../arm/resource-id';
import { SignalKind } from './version-signal';

/** ARM operation names of the two image-version operations gallery-guard reacts to. */
export const VERSION_WRITE_OPERATION = 'Microsoft.Compute/galleries/images/versions/write';
export const VERSION_DELETE_OPERATION = 'Microsoft.Compute/galleries/images/versions/delete';

/** Operation name → signal kind (case-insensitive, like ARM); undefined for every other operation. */
export function versionOperationKind(operationName: string): SignalKind | undefined {
  const op = operationName.trim().toLowerCase();
  if (op === VERSION_WRITE_OPERATION.toLowerCase()) return SignalKind.Write;
  if (op === VERSION_DELETE_OPERATION.toLowerCase()) return SignalKind.Delete;
  return undefined;
}

/** First candidate that parses as an image version id, or the parse error of the first one. */
export function firstImageVersionId(
  candidates: readonly (string | undefined)[],
): { version: ImageVersionRef } | { error: string } {
  let firstError: string | undefined;
  for (const candidate of candidates) {
    if (candidate === undefined || candidate.trim() === '') continue;
    try {
      return { version: parseImageVersionId(candidate) };
    } catch (error) {
      if (!(error instanceof ResourceIdError)) throw error;
      firstError ??= error.message;
    }
  }
  return { error: firstError ?? 'no resource id in the event' };
}
