import { RunState, isTerminalRunState } from '../../ledger/run-state';
import {
  DAY_MS,
  HOUR_MS,
  isoOf,
  latestRegionsOf,
  runsOf,
  type AuditContext,
  type AuditedDefinition,
  type AuditedVersion,
} from '../audit-context';
import { az, revalidateCurl } from '../fix-commands';
import { regionalFlagIndexes } from '../../gallery/latest-version';
import { RuleId, Severity, type Finding } from '../finding';

/** Versions that are `latest` somewhere, with the regions where they are. */
function latestVersions(definition: AuditedDefinition): { version: AuditedVersion; regions: string[] }[] {
  const unique = new Map<string, AuditedVersion>();
  for (const version of definition.latest.values()) unique.set(version.id, version);
  return [...unique.values()].map((version) => ({ version, regions: latestRegionsOf(definition, version) }));
}

/**
 * latest-not-passed: what `latest` resolves to in a region was never validated, failed, or its last
 * run ended without a verdict. A run still in flight is not a finding until it is older than the
 * stuck threshold (run-stuck reports it then).
 * latest-pass-stale: it passed, but longer ago than GG_AUDIT_PASS_MAX_AGE_DAYS, or before the
 * definition's policy required owner check scripts the passing run did not execute.
 */
export function latestRules(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  for (const definition of ctx.definitions) {
    for (const { version, regions } of latestVersions(definition)) {
      const runs = runsOf(ctx, version);
      const last = runs.at(-1);
      const base = { resourceId: version.id, detail: '', ...definition.ownership };
      const published = isoOf(version.publishingProfile?.publishedDate);
      if (last !== undefined && !isTerminalRunState(last.run.state)) {
        const age = ctx.now.getTime() - Date.parse(last.run.firstSeenAt);
        if (age < ctx.settings.stuckHours * HOUR_MS) continue;
      }
      if (last === undefined || last.run.state !== RunState.Passed) {
        const state = last?.run.state ?? 'none';
        findings.push({
          ...base,
          rule: RuleId.LatestNotPassed,
          severity: state === RunState.Failed || state === 'none' ? Severity.High : Severity.Medium,
          reason:
            last === undefined
              ? `${definition.definition.name} ${version.name} is latest in ${regions.join(', ')} and was never validated`
              : `${definition.definition.name} ${version.name} is latest in ${regions.join(', ')} but its last run is ${state}`,
          evidence: {
            latestIn: regions,
            publishedDate: published,
            lastRunState: state,
            ...(last === undefined ? {} : { lastRunId: last.run.runId, attempts: runs.length }),
          },
          fix: `Re-validate it (${revalidateCurl(version.id)}) or take it out of latest: ${az.excludeFromLatest(version.id, regionalFlagIndexes(version))}`,
        });
        continue;
      }
      const decidedAt = last.state.decidedAt ?? last.run.updatedAt;
      const ageDays = Math.floor((ctx.now.getTime() - Date.parse(decidedAt)) / DAY_MS);
      const missingScripts = definition.checkScripts.filter(
        (s) => !(last.state.checkScripts ?? []).includes(s),
      );
      const tooOld = ageDays > ctx.settings.passMaxAgeDays;
      if (!tooOld && missingScripts.length === 0) continue;
      findings.push({
        ...base,
        rule: RuleId.LatestPassStale,
        severity: Severity.Medium,
        reason: tooOld
          ? `${definition.definition.name} ${version.name} is latest in ${regions.join(', ')}; it last passed ${ageDays} days ago (limit ${ctx.settings.passMaxAgeDays})`
          : `${definition.definition.name} ${version.name} passed before the policy required check scripts ${missingScripts.join(', ')}`,
        evidence: {
          latestIn: regions,
          passedRunId: last.run.runId,
          passedAt: isoOf(decidedAt),
          ageDays,
          ...(missingScripts.length === 0 ? {} : { checkScriptsNotRun: missingScripts }),
        },
        fix: `Re-validate it under the current policy: ${revalidateCurl(version.id)}`,
      });
    }
  }
  return findings;
}
