import type { Logger } from '../logging/logger';
import { isQuarantined } from '../remediation/remediation-record';
import { runVerdictActions, type VerdictActionsOutcome } from '../remediation/run-verdict-actions';
import type { VerdictActionsDeps } from '../remediation/verdict-actions-deps';
import { loadVersionContext, type VersionContext } from '../remediation/version-context';
import { Verdict, type VerdictReport } from '../verdict/verdict';
import { advanceRollout } from './advance-rollout';
import { startRollout } from './rollout-ledger';
import { newRollout } from './rollout-plan';
import { rolloutSummary } from './rollout-summary';

type Loaded = Extract<VersionContext, { kind: 'ok' }>;

/**
 * A regional rollout applies to a version in gate mode that was published excluded from latest
 * everywhere (the gate holds it), not quarantined, not held by a person, with GG_ROLLOUT=regional.
 * An Inconclusive run changes nothing, rollout or not.
 */
export function rollsOutRegionally(
  deps: VerdictActionsDeps,
  context: Loaded,
  report: VerdictReport,
): boolean {
  const { record } = context.stored;
  const first = record.firstState;
  const excludedEverywhere = first.excludeFromLatest || first.regions.every((r) => r.excludeFromLatest);
  return (
    deps.config.remediation.rollout.strategy === 'regional' &&
    report.verdict !== Verdict.Inconclusive &&
    context.policy.mode === 'gate' &&
    record.gateHeld &&
    excludedEverywhere &&
    first.regions.length > 0 &&
    !isQuarantined(record) &&
    record.promotedRunId === undefined
  );
}

/**
 * What the validation engine calls with a verdict: a regional rollout where it applies (started once
 * per run, then advanced as far as it can go now; the redrive timer continues it), else the verdict
 * actions as before.
 */
export async function actOnVerdictOrRollOut(
  deps: VerdictActionsDeps,
  report: VerdictReport,
  logger: Logger,
): Promise<VerdictActionsOutcome> {
  if (deps.config.remediation.rollout.strategy !== 'regional' || report.verdict === Verdict.Inconclusive) {
    return runVerdictActions(deps, report, logger);
  }
  const log = logger.child({ runId: report.runId, versionId: report.versionId });
  const context = await loadVersionContext(deps, report.versionId, log);
  if (context.kind !== 'ok' || !rollsOutRegionally(deps, context, report)) {
    return runVerdictActions(deps, report, logger);
  }
  const targets = context.stored.record.firstState.regions.map((r) => r.name);
  await startRollout(
    deps.remediationTable,
    context.ref.key,
    newRollout(report, targets, deps.config.remediation.rollout, deps.clock()),
  );
  const rollout = await advanceRollout(deps, report.versionId, report.runId, log);
  return {
    versionId: report.versionId,
    runId: report.runId,
    verdict: report.verdict,
    status: 'acted',
    mode: 'gate',
    ...(rollout === undefined ? {} : { actionTaken: rolloutSummary(rollout) }),
    actions: [],
    notifications: [],
  };
}
