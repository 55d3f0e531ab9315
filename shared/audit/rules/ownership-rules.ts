import { az } from '../fix-commands';
import type { AuditContext } from '../audit-context';
import { RuleId, Severity, type Finding } from '../finding';

/**
 * no-owner: a gallery without an owner tag, or a definition whose owner is neither on it nor on its
 * gallery: nobody is told when its versions fail.
 * no-teams-route: a definition's cards have no Teams channel of their own: its teamsWebhook tag is
 * missing (cards fall back to the operators' default channel, or go nowhere without one) or names an
 * entry GG_TEAMS_WEBHOOKS does not have.
 */
export function ownershipRules(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const gallery = ctx.inventory.gallery;
  if (ctx.galleryOwnership.owner === undefined) {
    findings.push({
      rule: RuleId.NoOwner,
      severity: Severity.Low,
      resourceId: gallery.id,
      detail: '',
      reason: `gallery ${gallery.name} has no owner tag, so definitions without their own owner have nobody to tell`,
      evidence: { tags: Object.keys(gallery.tags ?? {}) },
      fix: az.tag(gallery.id, 'owner=<team e-mail>'),
    });
  }
  for (const { definition, ownership } of ctx.definitions) {
    if (ownership.owner === undefined) {
      findings.push({
        rule: RuleId.NoOwner,
        severity: Severity.Medium,
        resourceId: definition.id,
        detail: '',
        reason: `${definition.name} has no owner tag (on the definition or its gallery)`,
        evidence: {
          definitionTags: Object.keys(definition.tags ?? {}),
          galleryTags: Object.keys(gallery.tags ?? {}),
        },
        fix: az.tag(definition.id, 'owner=<team e-mail>'),
      });
    }
    const route = ownership.teamsWebhook;
    const known = route !== undefined && ctx.teams.webhookNames.includes(route);
    if (known) continue;
    findings.push({
      rule: RuleId.NoTeamsRoute,
      severity: ctx.teams.hasDefault && route === undefined ? Severity.Low : Severity.Medium,
      resourceId: definition.id,
      detail: '',
      ...ownership,
      reason:
        route === undefined
          ? `${definition.name} has no teamsWebhook tag: its cards go ${ctx.teams.hasDefault ? "to the operators' default channel" : 'nowhere'}`
          : `${definition.name}'s teamsWebhook "${route.slice(0, 40)}" is not an entry of GG_TEAMS_WEBHOOKS`,
      evidence: {
        teamsWebhook: route ?? '',
        defaultChannel: ctx.teams.hasDefault,
      },
      fix: az.tag(definition.id, 'teamsWebhook=<name in GG_TEAMS_WEBHOOKS>'),
    });
  }
  return findings;
}
