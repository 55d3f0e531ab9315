import type { GalleryImageVersion } from '@azure/arm-compute';
import { parseImageVersionId } from '../arm/resource-id';
import type { AuditConfig } from '../config';
import type { ValidationRun } from '../ledger/validation-run';
import { readTag, resolveRemediationPolicy, PolicyTag, type Tags } from '../policy/remediation-policy';
import { validationPolicyFromTags } from '../policy/validation-policy';
import { EMPTY_STATE, readProgress, type ValidationState } from '../validation/run/validation-state';
import type { DefinitionInventory, GalleryInventory } from './gallery-inventory';
import { latestPerRegion } from '../gallery/latest-version';

/** Who a definition's findings go to: its owner tag and Teams route (definition tags win over gallery tags). */
export interface Ownership {
  readonly owner?: string;
  readonly teamsWebhook?: string;
}

export type AuditedVersion = DefinitionInventory['versions'][number];

/** One definition, prepared for the rules. */
export interface AuditedDefinition extends DefinitionInventory {
  readonly ownership: Ownership;
  /** Owner check scripts the definition's policy requires today. */
  readonly checkScripts: readonly string[];
  /** Region → the version `latest` resolves to there. */
  readonly latest: ReadonlyMap<string, AuditedVersion>;
}

/** A validation run with the engine's state parsed out of its row. */
export interface AuditedRun {
  readonly run: ValidationRun;
  readonly state: ValidationState;
}

/** Everything the rules look at: one gallery's inventory, its runs, the settings and the time. */
export interface AuditContext {
  readonly inventory: GalleryInventory;
  readonly definitions: readonly AuditedDefinition[];
  readonly galleryOwnership: Ownership;
  /** Version key (lower-cased id) → its runs, oldest attempt first. */
  readonly runsByVersion: ReadonlyMap<string, readonly AuditedRun[]>;
  readonly settings: AuditConfig;
  /** Names configured in GG_TEAMS_WEBHOOKS and whether a default channel exists. */
  readonly teams: { readonly webhookNames: readonly string[]; readonly hasDefault: boolean };
  readonly now: Date;
}

function ownershipOf(definitionTags: Tags, galleryTags: Tags): Ownership {
  const policy = resolveRemediationPolicy(definitionTags, galleryTags, {
    defaultMode: 'report-only',
    defaultSeverity: 'info',
  });
  return {
    ...(policy.owner === undefined ? {} : { owner: policy.owner }),
    ...(policy.teamsWebhook === undefined ? {} : { teamsWebhook: policy.teamsWebhook }),
  };
}

function parseRun(run: ValidationRun): AuditedRun {
  try {
    return { run, state: readProgress(run.extra).state };
  } catch {
    // A row the engine has not written yet (or cannot parse) still counts by its state column.
    return { run, state: EMPTY_STATE };
  }
}

export function buildAuditContext(input: {
  readonly inventory: GalleryInventory;
  readonly runs: readonly ValidationRun[];
  readonly settings: AuditConfig;
  readonly teams: AuditContext['teams'];
  readonly now: Date;
}): AuditContext {
  const galleryTags = input.inventory.gallery.tags;
  const definitions = input.inventory.definitions.map((d) => ({
    ...d,
    ownership: ownershipOf(d.definition.tags, galleryTags),
    checkScripts: validationPolicyFromTags(d.definition.tags, galleryTags).checkScripts,
    latest: latestPerRegion(d.versions),
  }));
  const runsByVersion = new Map<string, AuditedRun[]>();
  for (const run of input.runs) {
    const list = runsByVersion.get(run.versionKey) ?? [];
    list.push(parseRun(run));
    runsByVersion.set(run.versionKey, list);
  }
  for (const list of runsByVersion.values()) list.sort((a, b) => a.run.attempt - b.run.attempt);
  const galleryOwner = readTag(galleryTags, PolicyTag.owner) ?? readTag(galleryTags, PolicyTag.ownerAlias);
  const galleryWebhook = readTag(galleryTags, PolicyTag.teamsWebhook);
  return {
    inventory: input.inventory,
    definitions,
    galleryOwnership: {
      ...(galleryOwner === undefined ? {} : { owner: galleryOwner }),
      ...(galleryWebhook === undefined ? {} : { teamsWebhook: galleryWebhook }),
    },
    runsByVersion,
    settings: input.settings,
    teams: input.teams,
    now: input.now,
  };
}

export function runsOf(
  ctx: AuditContext,
  version: GalleryImageVersion & { id: string },
): readonly AuditedRun[] {
  return ctx.runsByVersion.get(parseImageVersionId(version.id).key) ?? [];
}

/** The regions where `version` is what `latest` resolves to. */
export function latestRegionsOf(definition: AuditedDefinition, version: AuditedVersion): string[] {
  return [...definition.latest.entries()].filter(([, v]) => v.id === version.id).map(([region]) => region);
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export const isoOf = (date: Date | string | undefined): string =>
  date === undefined ? '' : new Date(date).toISOString();
