import { parseGalleryId, parseImageVersionId } from '../arm/resource-id';

/** `az` commands suggested by findings, spelled as the Azure CLI documents them (az sig, az tag). */
function versionArgs(versionId: string): string {
  const v = parseImageVersionId(versionId);
  return `--resource-group ${v.resourceGroup} --gallery-name ${v.gallery} --gallery-image-definition ${v.image} --gallery-image-version ${v.version}`;
}

function definitionArgs(definitionId: string): string {
  const parts = definitionId.split('/');
  const gallery = parseGalleryId(parts.slice(0, 9).join('/'));
  return `--resource-group ${gallery.resourceGroup} --gallery-name ${gallery.gallery} --gallery-image-definition ${parts[10] ?? ''}`;
}

export const az = {
  /** Sets the version-wide flag and, where a regional flag is set, those too (the regional one wins). */
  excludeFromLatest: (versionId: string, regionalIndexes: readonly number[] = []): string =>
    `az sig image-version update ${versionArgs(versionId)} --set publishingProfile.excludeFromLatest=true${regionalIndexes
      .map((i) => ` publishingProfile.targetRegions[${i}].excludeFromLatest=true`)
      .join('')}`,
  versionEndOfLife: (versionId: string, date: string): string =>
    `az sig image-version update ${versionArgs(versionId)} --set publishingProfile.endOfLifeDate=${date}`,
  targetRegions: (versionId: string, regions: readonly string[], replicas: number): string =>
    `az sig image-version update ${versionArgs(versionId)} --target-regions ${regions.map((r) => `${r}=${replicas}`).join(' ')}`,
  definitionEndOfLife: (definitionId: string, date: string): string =>
    `az sig image-definition update ${definitionArgs(definitionId)} --set endOfLifeDate=${date}`,
  resetSharing: (galleryId: string): string => {
    const g = parseGalleryId(galleryId);
    return `az sig share reset --resource-group ${g.resourceGroup} --gallery-name ${g.gallery}`;
  },
  tag: (resourceId: string, tags: string): string =>
    `az tag update --resource-id ${resourceId} --operation Merge --tags ${tags}`,
};

/** gallery-guard's own operator endpoint (no az equivalent): queue a fresh validation run. */
export const revalidateCurl = (versionId: string): string =>
  `curl -X POST "https://<function-app>.azurewebsites.net/api/versions/revalidate?code=<admin key>" -H 'content-type: application/json' -d '{"versionId":"${versionId}","reason":"governance audit","requestedBy":"<you>"}'`;

/** A date `days` from `now`, as az expects it (YYYY-MM-DD). */
export const dateIn = (now: Date, days: number): string =>
  new Date(now.getTime() + days * 86_400_000).toISOString().slice(0, 10);
