import { dateIn, az } from '../fix-commands';
import { isoOf, latestRegionsOf, type AuditContext } from '../audit-context';
import { isExcludedIn, regionalFlagIndexes, regionsOf } from '../../gallery/latest-version';
import { RuleId, Severity, type Finding } from '../finding';

const past = (date: Date | undefined, now: Date): boolean =>
  date !== undefined && new Date(date).getTime() <= now.getTime();

/**
 * eol-not-excluded: past its endOfLifeDate yet still eligible for latest in some region.
 * quarantined-without-eol: excluded from latest everywhere but with no endOfLifeDate, so nothing
 * tells consumers pinned to it that it is going away.
 * definition-eol-receiving-versions: the definition's own endOfLifeDate has passed and versions were
 * published after it.
 */
export function lifecycleRules(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  for (const definition of ctx.definitions) {
    const name = definition.definition.name;
    for (const version of definition.versions) {
      const profile = version.publishingProfile;
      const regions = regionsOf(version);
      const eligible = regions.filter((r) => !isExcludedIn(version, r));
      const base = { resourceId: version.id, detail: '', ...definition.ownership };
      if (past(profile?.endOfLifeDate, ctx.now) && eligible.length > 0) {
        const latestIn = latestRegionsOf(definition, version);
        findings.push({
          ...base,
          rule: RuleId.EolNotExcluded,
          severity: latestIn.length > 0 ? Severity.High : Severity.Medium,
          reason: `${name} ${version.name} reached its end of life on ${isoOf(profile?.endOfLifeDate).slice(0, 10)} but is still eligible for latest in ${eligible.join(', ')}`,
          evidence: { endOfLifeDate: isoOf(profile?.endOfLifeDate), eligibleIn: eligible, latestIn },
          fix: az.excludeFromLatest(version.id, regionalFlagIndexes(version)),
        });
      }
      if (regions.length > 0 && eligible.length === 0 && profile?.endOfLifeDate === undefined) {
        findings.push({
          ...base,
          rule: RuleId.QuarantinedWithoutEol,
          severity: Severity.Low,
          reason: `${name} ${version.name} is excluded from latest in every region but has no end-of-life date`,
          evidence: { excludedIn: regions, excludeFromLatest: profile?.excludeFromLatest ?? false },
          fix: az.versionEndOfLife(version.id, dateIn(ctx.now, 30)),
        });
      }
    }
    const definitionEol = definition.definition.endOfLifeDate;
    if (past(definitionEol, ctx.now)) {
      const eol = new Date(definitionEol as Date).getTime();
      const after = definition.versions.filter((v) => {
        const published = v.publishingProfile?.publishedDate;
        return published !== undefined && new Date(published).getTime() > eol;
      });
      if (after.length > 0) {
        findings.push({
          resourceId: definition.definition.id,
          detail: '',
          ...definition.ownership,
          rule: RuleId.DefinitionEolReceivingVersions,
          severity: Severity.Medium,
          reason: `${name} reached its end of life on ${isoOf(definitionEol).slice(0, 10)} but ${after.length} version(s) were published after it`,
          evidence: {
            endOfLifeDate: isoOf(definitionEol),
            versionsPublishedAfter: after.slice(0, 20).map((v) => v.name),
            count: after.length,
          },
          fix: `Publish to a new definition, or move the definition's end of life: ${az.definitionEndOfLife(definition.definition.id, dateIn(ctx.now, 180))}`,
        });
      }
    }
  }
  return findings;
}
