/**
 * Per-definition validation policy, read from tags (definition tags win over gallery tags). Policy is
 * data: a bad tag value is reported as a problem and the default applies, so a typo in a tag never
 * stops validation nor widens it beyond the configured subnets.
 *
 * Tags:
 *   gg-owner            who owns the images (e-mail or team name); a plain `owner` tag also counts.
 *   gg-validate-regions "all" (default) | "first:<n>" | comma-separated region names.
 *   gg-check-scripts    comma-separated names of owner check scripts configured in GG_CHECK_SCRIPTS.
 */
export const TAG = {
  owner: 'gg-owner',
  regions: 'gg-validate-regions',
  checkScripts: 'gg-check-scripts',
} as const;

export type RegionSelection =
  | { readonly kind: 'all' }
  | { readonly kind: 'first'; readonly count: number }
  | { readonly kind: 'named'; readonly regions: readonly string[] };

export interface ValidationPolicy {
  readonly owner?: string;
  readonly regions: RegionSelection;
  readonly checkScripts: readonly string[];
  /** Problems found while reading the tags; the defaults were used instead. */
  readonly problems: readonly string[];
}

type Tags = Readonly<Record<string, string>> | undefined;

function tag(name: string, definitionTags: Tags, galleryTags: Tags): string | undefined {
  const find = (tags: Tags): string | undefined =>
    Object.entries(tags ?? {})
      .find(([k]) => k.toLowerCase() === name)?.[1]
      ?.trim() || undefined;
  return find(definitionTags) ?? find(galleryTags);
}

export function normaliseRegion(region: string): string {
  return region.toLowerCase().replace(/\s+/g, '');
}

function parseRegions(raw: string | undefined, problems: string[]): RegionSelection {
  if (raw === undefined || raw.toLowerCase() === 'all') return { kind: 'all' };
  const first = /^first:(\d{1,3})$/i.exec(raw);
  if (first) {
    const count = Number(first[1]);
    if (count >= 1) return { kind: 'first', count };
  }
  const regions = raw
    .split(/[,;]/)
    .map(normaliseRegion)
    .filter((r) => r.length > 0);
  if (!first && regions.length > 0 && regions.every((r) => /^[a-z0-9]{2,40}$/.test(r))) {
    return { kind: 'named', regions };
  }
  problems.push(
    `${TAG.regions}="${raw.slice(0, 100)}" is not "all", "first:<n>" or a region list; using all`,
  );
  return { kind: 'all' };
}

export function validationPolicyFromTags(definitionTags: Tags, galleryTags: Tags): ValidationPolicy {
  const problems: string[] = [];
  const regions = parseRegions(tag(TAG.regions, definitionTags, galleryTags), problems);
  const scripts = (tag(TAG.checkScripts, definitionTags, galleryTags) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const badScript = scripts.find((s) => !/^[A-Za-z0-9_.-]{1,64}$/.test(s));
  if (badScript !== undefined)
    problems.push(`${TAG.checkScripts} has an invalid name "${badScript.slice(0, 64)}"`);
  return {
    owner: tag(TAG.owner, definitionTags, galleryTags) ?? tag('owner', definitionTags, galleryTags),
    regions,
    checkScripts: badScript === undefined ? scripts : [],
    problems,
  };
}

/** The regions to test: the policy's choice among the replicated target regions that have a subnet. */
export function selectRegions(
  selection: RegionSelection,
  targetRegions: readonly string[],
  regionsWithSubnet: readonly string[],
): string[] {
  const usable = targetRegions.map(normaliseRegion).filter((r) => regionsWithSubnet.includes(r));
  const unique = [...new Set(usable)];
  switch (selection.kind) {
    case 'all':
      return unique;
    case 'first':
      return unique.slice(0, selection.count);
    case 'named':
      return unique.filter((r) => selection.regions.includes(r));
  }
}
