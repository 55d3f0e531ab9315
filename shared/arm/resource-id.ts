/**
 * Strict parsing of the ARM resource ids gallery-guard acts on. ARM ids are case-insensitive, so
 * segments are matched without regard to case; `key` is the canonical (lower-cased) form used for
 * comparison and storage, while the parsed names keep the caller's spelling for ARM calls.
 */

export interface GalleryRef {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly gallery: string;
  /** Canonical lower-cased gallery id. */
  readonly key: string;
}

export interface ImageVersionRef extends GalleryRef {
  readonly image: string;
  readonly version: string;
  /** Canonical lower-cased version id (overrides GalleryRef.key). */
  readonly key: string;
  readonly galleryKey: string;
}

export class ResourceIdError extends Error {
  constructor(
    readonly resourceId: string,
    message: string,
  ) {
    super(`${message}: "${resourceId.slice(0, 300)}"`);
    this.name = 'ResourceIdError';
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Resource group: letters/digits (incl. Unicode), underscore, hyphen, period, parentheses; not ending in a period.
const RESOURCE_GROUP = /^[\p{L}\p{N}_\-.()]{1,90}$/u;
const GALLERY = /^[A-Za-z0-9][A-Za-z0-9_.]{0,79}$/;
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
const VERSION = /^\d{1,10}\.\d{1,10}\.\d{1,10}$/;

function segments(resourceId: string): string[] {
  const trimmed = resourceId.trim();
  if (!trimmed.startsWith('/')) throw new ResourceIdError(resourceId, 'Resource id must start with "/"');
  const parts = trimmed.slice(1).replace(/\/$/, '').split('/');
  if (parts.some((p) => p.length === 0))
    throw new ResourceIdError(resourceId, 'Resource id has an empty segment');
  return parts;
}

function expectLiteral(resourceId: string, actual: string | undefined, expected: string): void {
  if (actual?.toLowerCase() !== expected.toLowerCase()) {
    throw new ResourceIdError(resourceId, `Expected "${expected}" in resource id, got "${actual ?? ''}"`);
  }
}

function expectName(resourceId: string, value: string | undefined, pattern: RegExp, what: string): string {
  if (value === undefined || !pattern.test(value) || (what === 'resource group' && value.endsWith('.'))) {
    throw new ResourceIdError(resourceId, `Invalid ${what} name "${value ?? ''}"`);
  }
  return value;
}

function parseGallerySegments(resourceId: string, parts: readonly string[]): GalleryRef {
  expectLiteral(resourceId, parts[0], 'subscriptions');
  const subscriptionId = expectName(resourceId, parts[1], GUID, 'subscription id');
  expectLiteral(resourceId, parts[2], 'resourceGroups');
  const resourceGroup = expectName(resourceId, parts[3], RESOURCE_GROUP, 'resource group');
  expectLiteral(resourceId, parts[4], 'providers');
  expectLiteral(resourceId, parts[5], 'Microsoft.Compute');
  expectLiteral(resourceId, parts[6], 'galleries');
  const gallery = expectName(resourceId, parts[7], GALLERY, 'gallery');
  const key =
    `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Compute/galleries/${gallery}`.toLowerCase();
  return { subscriptionId, resourceGroup, gallery, key };
}

/** Parses `/subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/{g}`. */
export function parseGalleryId(resourceId: string): GalleryRef {
  const parts = segments(resourceId);
  if (parts.length !== 8) throw new ResourceIdError(resourceId, 'Not a gallery resource id');
  return parseGallerySegments(resourceId, parts);
}

/** Parses `.../galleries/{g}/images/{image}/versions/{version}`; anything else throws ResourceIdError. */
export function parseImageVersionId(resourceId: string): ImageVersionRef {
  const parts = segments(resourceId);
  if (parts.length !== 12) throw new ResourceIdError(resourceId, 'Not a gallery image version resource id');
  const gallery = parseGallerySegments(resourceId, parts);
  expectLiteral(resourceId, parts[8], 'images');
  const image = expectName(resourceId, parts[9], IMAGE, 'image definition');
  expectLiteral(resourceId, parts[10], 'versions');
  const version = expectName(resourceId, parts[11], VERSION, 'image version');
  return {
    ...gallery,
    galleryKey: gallery.key,
    image,
    version,
    key: `${gallery.key}/images/${image}/versions/${version}`.toLowerCase(),
  };
}

export function imageVersionId(ref: Omit<ImageVersionRef, 'key' | 'galleryKey'>): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute/galleries/${ref.gallery}/images/${ref.image}/versions/${ref.version}`;
}

export function imageDefinitionId(ref: Omit<ImageVersionRef, 'key' | 'galleryKey' | 'version'>): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute/galleries/${ref.gallery}/images/${ref.image}`;
}

export function galleryId(ref: Omit<GalleryRef, 'key'>): string {
  return `/subscriptions/${ref.subscriptionId}/resourceGroups/${ref.resourceGroup}/providers/Microsoft.Compute/galleries/${ref.gallery}`;
}
