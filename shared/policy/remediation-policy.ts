import type { PageSeverity, RemediationMode } from '../config';

/**
 * What a verdict may change and whom it tells, per image definition. Policy is data: tags on the
 * image definition win over tags on the gallery, which win over configuration. A tag with a value we
 * do not understand never widens what we do: it falls back to report-only and the card says why.
 */
export const Mode = {
  Quarantine: 'quarantine',
  ReportOnly: 'report-only',
  Gate: 'gate',
} as const satisfies Record<string, RemediationMode>;
export const MODES: readonly RemediationMode[] = Object.values(Mode);
export const SEVERITIES: readonly PageSeverity[] = ['critical', 'error', 'warning', 'info'];

/** Tag names read from the image definition, then the gallery. */
export const PolicyTag = {
  mode: 'gallery-guard-mode',
  severity: 'gallery-guard-severity',
  owner: 'owner',
  /** The validation policy's owner tag, read when `owner` is absent. */
  ownerAlias: 'gg-owner',
  teamsWebhook: 'teamsWebhook',
} as const;

export type Tags = Readonly<Record<string, string>> | undefined;

export interface RemediationPolicy {
  readonly mode: RemediationMode;
  /** Where the mode came from, for the card and the records. */
  readonly modeSource: 'definition' | 'gallery' | 'config' | 'invalid-tag';
  readonly severity: PageSeverity;
  readonly owner?: string;
  /** Name of an entry in GG_TEAMS_WEBHOOKS (never the URL itself). */
  readonly teamsWebhook?: string;
  /** Problems found in tags, shown to the owner; never fatal. */
  readonly warnings: readonly string[];
}

export interface PolicyDefaults {
  readonly defaultMode: RemediationMode;
  readonly defaultSeverity: PageSeverity;
}

/** Tag lookup ignoring case of the tag name (ARM keeps tag names case-insensitively). */
export function readTag(tags: Tags, name: string): string | undefined {
  if (tags === undefined) return undefined;
  const key = Object.keys(tags).find((k) => k.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : tags[key]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function pick<T extends string>(
  allowed: readonly T[],
  tagName: string,
  definitionTags: Tags,
  galleryTags: Tags,
  warnings: string[],
): { value: T; source: 'definition' | 'gallery' } | { value: undefined; source: 'invalid-tag' } | undefined {
  for (const [tags, source] of [
    [definitionTags, 'definition'],
    [galleryTags, 'gallery'],
  ] as const) {
    const raw = readTag(tags, tagName);
    if (raw === undefined) continue;
    const value = allowed.find((v) => v === raw.toLowerCase());
    if (value !== undefined) return { value, source };
    warnings.push(`${source} tag ${tagName}="${raw.slice(0, 40)}" is not one of ${allowed.join(', ')}`);
    return { value: undefined, source: 'invalid-tag' };
  }
  return undefined;
}

export function resolveRemediationPolicy(
  definitionTags: Tags,
  galleryTags: Tags,
  defaults: PolicyDefaults,
): RemediationPolicy {
  const warnings: string[] = [];
  const mode = pick(MODES, PolicyTag.mode, definitionTags, galleryTags, warnings);
  const severity = pick(SEVERITIES, PolicyTag.severity, definitionTags, galleryTags, warnings);
  const owner =
    readTag(definitionTags, PolicyTag.owner) ??
    readTag(definitionTags, PolicyTag.ownerAlias) ??
    readTag(galleryTags, PolicyTag.owner) ??
    readTag(galleryTags, PolicyTag.ownerAlias);
  const teamsWebhook =
    readTag(definitionTags, PolicyTag.teamsWebhook) ?? readTag(galleryTags, PolicyTag.teamsWebhook);
  return {
    mode: mode === undefined ? defaults.defaultMode : (mode.value ?? Mode.ReportOnly),
    modeSource: mode === undefined ? 'config' : mode.source,
    severity: severity?.value ?? defaults.defaultSeverity,
    owner,
    teamsWebhook,
    warnings,
  };
}
