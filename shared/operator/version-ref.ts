import {
  galleryId,
  imageVersionId,
  parseImageVersionId,
  ResourceIdError,
  type GalleryRef,
  type ImageVersionRef,
} from '../arm/resource-id';
import { isInGalleryScope } from '../arm/gallery-scope';
import { parseRunId, type RunKey } from '../ledger/run-key';
import { OperatorInputError } from './operator-errors';

/** What an operator's reference names: a version (its latest attempt unless one is given) or a run. */
export type OperatorRef =
  | { readonly kind: 'version'; readonly version: ImageVersionRef; readonly versionId: string }
  | { readonly kind: 'run'; readonly key: RunKey; readonly runId: string };

const SHORT = /^[^/\s]+(\/[^/\s]+){1,2}$/;

/**
 * Resolves what a person types: a full version id, `gallery/image/version`, `image/version` (when one
 * gallery is in scope), or a run id (`<partition>/<attempt>`, as listed by `gg runs list`). Versions
 * outside GG_GALLERY_SCOPES are refused: operators act only where gallery-guard may act.
 */
export function resolveRef(text: string, scopes: readonly GalleryRef[]): OperatorRef {
  const ref = text.trim();
  if (ref === '')
    throw new OperatorInputError('a version reference is required (image/version or a version id)');
  if (ref.includes('|')) {
    try {
      const key = parseRunId(ref);
      return { kind: 'run', key, runId: ref };
    } catch {
      throw new OperatorInputError(`"${ref.slice(0, 200)}" is not a run id`);
    }
  }
  const version = ref.startsWith('/') ? parseFull(ref) : parseShort(ref, scopes);
  if (!isInGalleryScope(scopes, version)) {
    throw new OperatorInputError(`${version.gallery} is not one of the galleries in GG_GALLERY_SCOPES`);
  }
  return { kind: 'version', version, versionId: imageVersionId(version) };
}

function parseFull(ref: string): ImageVersionRef {
  try {
    return parseImageVersionId(ref);
  } catch (error) {
    if (error instanceof ResourceIdError) throw new OperatorInputError(error.message);
    throw error;
  }
}

function parseShort(ref: string, scopes: readonly GalleryRef[]): ImageVersionRef {
  if (!SHORT.test(ref)) {
    throw new OperatorInputError(
      `"${ref.slice(0, 200)}" is neither image/version, gallery/image/version nor a version resource id`,
    );
  }
  const parts = ref.split('/');
  const [image, version] = parts.slice(-2) as [string, string];
  const galleryName = parts.length === 3 ? parts[0]!.toLowerCase() : undefined;
  const candidates = scopes.filter(
    (g) => galleryName === undefined || g.gallery.toLowerCase() === galleryName,
  );
  if (candidates.length === 0) {
    throw new OperatorInputError(`no gallery named ${parts[0] ?? ''} in GG_GALLERY_SCOPES`);
  }
  if (candidates.length > 1) {
    const names = candidates.map((g) => g.gallery).join(', ');
    throw new OperatorInputError(
      `"${ref}" is ambiguous: ${candidates.length} galleries are in scope (${names}); use gallery/image/version`,
    );
  }
  const gallery = candidates[0]!;
  return parseFull(`${galleryId(gallery)}/images/${image}/versions/${version}`);
}

/**
 * The full version id for a reference a person typed; a full id is returned as it is (the use case
 * that receives it decides about scope), a run id is refused (release and revalidate act on versions).
 */
export function toVersionId(text: string, scopes: readonly GalleryRef[]): string {
  if (text.trim().startsWith('/')) return text.trim();
  const ref = resolveRef(text, scopes);
  if (ref.kind === 'run') throw new OperatorInputError('name the version (image/version), not a run id');
  return ref.versionId;
}
