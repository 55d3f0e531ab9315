import { RunState, isTerminalRunState } from '../../ledger/run-state';
import { HOUR_MS, isoOf, runsOf, type AuditContext } from '../audit-context';
import { revalidateCurl } from '../fix-commands';
import { RuleId, Severity, type Finding } from '../finding';

/**
 * run-stuck: a run of a version still in the gallery has been in flight for longer than
 * GG_AUDIT_STUCK_HOURS. run-inconclusive: a version's last run ended Inconclusive longer than that
 * ago and nobody re-validated it.
 */
export function runRules(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const limit = ctx.settings.stuckHours * HOUR_MS;
  for (const definition of ctx.definitions) {
    for (const version of definition.versions) {
      const runs = runsOf(ctx, version);
      for (const { run, state } of runs) {
        const base = { resourceId: version.id, detail: run.runId, ...definition.ownership };
        const hours = (since: string): number =>
          Math.floor((ctx.now.getTime() - Date.parse(since)) / HOUR_MS);
        if (!isTerminalRunState(run.state) && ctx.now.getTime() - Date.parse(run.firstSeenAt) > limit) {
          findings.push({
            ...base,
            rule: RuleId.RunStuck,
            severity: Severity.Medium,
            reason: `run ${run.runId} of ${definition.definition.name} ${version.name} has been ${run.state} for ${hours(run.firstSeenAt)} hours`,
            evidence: {
              runId: run.runId,
              state: run.state,
              since: run.firstSeenAt,
              updatedAt: run.updatedAt,
            },
            fix: 'Check the run (GET /api/runs?versionId=...) and the reconciler logs; the reconciler re-drives it, a new attempt replaces it',
          });
        }
        const decidedAt = state.decidedAt ?? run.updatedAt;
        if (
          run === runs.at(-1)?.run &&
          run.state === RunState.Inconclusive &&
          ctx.now.getTime() - Date.parse(decidedAt) > limit
        ) {
          findings.push({
            ...base,
            rule: RuleId.RunInconclusive,
            severity: Severity.Medium,
            reason: `${definition.definition.name} ${version.name} has been Inconclusive for ${hours(decidedAt)} hours: ${(state.verdictReason ?? run.stateReason ?? 'no reason recorded').slice(0, 120)}`,
            evidence: {
              runId: run.runId,
              decidedAt: isoOf(decidedAt),
              reason: (state.verdictReason ?? run.stateReason ?? '').slice(0, 300),
            },
            fix: `Re-validate once Azure is healthy: ${revalidateCurl(version.id)}`,
          });
        }
      }
    }
  }
  return findings;
}
