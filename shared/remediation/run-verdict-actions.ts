import type { RemediationMode } from '../config';
import type { Logger } from '../logging/logger';
import type { DeliveryOutcome } from '../notify/deliver';
import { notifyVerdict, type VerdictPage } from '../notify/notify-verdict';
import type { VerdictNotice } from '../notify/verdict-notice';
import { Verdict, type VerdictReport } from '../verdict/verdict';
import { describeActionTaken } from './action-taken';
import { resolveLatest } from '../gallery/latest-resolution';
import { regionKey } from '../gallery/latest-version';
import type { EffectContext, StepSummary } from './remediation-action';
import { updateRecord } from './remediation-ledger';
import type { RemediationRecord } from './remediation-record';
import { failedStep, keptOutOfLatest, runPlan, type DoneStep, type PlanPorts } from './run-plan';
import { runRemediationStep } from './run-remediation-step';
import { deliveryDeps, type VerdictActionsDeps } from './verdict-actions-deps';
import { recordPageOpen } from './version-pages';
import { loadVersionContext, rethrowClassified, type VersionContext } from './version-context';

export const VerdictActionsStatus = {
  Acted: 'acted',
  RemediationFailed: 'remediation-failed',
  OutOfScope: 'out-of-scope',
  InvalidReport: 'invalid-report',
  VersionNotFound: 'version-not-found',
} as const;
export type VerdictActionsStatus = (typeof VerdictActionsStatus)[keyof typeof VerdictActionsStatus];

export interface VerdictActionsOutcome {
  readonly versionId: string;
  readonly runId: string;
  readonly verdict: Verdict;
  readonly status: VerdictActionsStatus;
  readonly mode?: RemediationMode;
  readonly actionTaken?: string;
  readonly actions: readonly StepSummary[];
  readonly notifications: readonly DeliveryOutcome[];
}

const VERDICTS: readonly string[] = Object.values(Verdict);

function isValidReport(report: VerdictReport): boolean {
  return (
    typeof report.runId === 'string' &&
    report.runId.length > 0 &&
    typeof report.versionId === 'string' &&
    VERDICTS.includes(report.verdict) &&
    Array.isArray(report.checks)
  );
}

type Loaded = Extract<VersionContext, { kind: 'ok' }>;

export function planPorts(
  deps: VerdictActionsDeps,
  context: Loaded,
  runId: string,
  now: Date,
  log: Logger,
): PlanPorts {
  const table = deps.remediationTable;
  return {
    runStep: (planned, record, beforePatch) =>
      runRemediationStep(
        context.target,
        planned.action,
        planned.params,
        { now, record },
        {
          runId,
          maxAttempts: deps.config.remediation.maxAttempts,
          now,
          beforePatch,
          clock: deps.clock,
          ...(deps.config.authorization ? { authorization: deps.config.authorization } : {}),
        },
        table,
        log,
      ),
    updateRecord: (change) => updateRecord(table, context.ref.key, change),
  };
}

/**
 * A failed version that was eligible for latest somewhere has just been excluded (a roll back): say
 * exactly what "latest" resolves to now in each of its regions, re-read from ARM after the PATCH and
 * resolved the way Azure does. Undefined when nothing was rolled back (or the read fails: the card
 * then says what was done, without the resolution).
 */
async function latestAfterRollback(
  context: Loaded,
  done: readonly DoneStep[],
  log: Logger,
): Promise<string | undefined> {
  const excluded = done.find((d) => d.action.quarantines === true && d.step.outcome === 'applied');
  const wasEligible = excluded?.step.before?.regions.filter((r) => !r.excludeFromLatest) ?? [];
  if (excluded === undefined || wasEligible.length === 0) return undefined;
  try {
    const regions =
      (excluded.step.after ?? excluded.step.before)?.regions.map((r) => regionKey(r.name)) ?? [];
    const { latest } = await resolveLatest(context.target.compute, context.ref, regions);
    const now = Object.entries(latest)
      .map(([region, version]) => `${region} ${version ?? 'none'}`)
      .join(', ');
    return `Latest now resolves to: ${now}.`;
  } catch (error) {
    log.warn('verdict actions: could not re-read what latest resolves to', { error });
    return undefined;
  }
}

/** Whom to page: a remediation that failed for good, a quarantined failure; a pass resolves. */
function pageFor(
  report: VerdictReport,
  done: readonly DoneStep[],
  record: RemediationRecord,
  severity: Loaded['policy']['severity'],
): VerdictPage {
  if (failedStep(done) !== undefined) {
    return { kind: 'trigger', alarm: { eventClass: 'remediation-failed', severity: 'critical' } };
  }
  if (report.verdict === Verdict.Failed && keptOutOfLatest(done)) {
    return { kind: 'trigger', alarm: { eventClass: 'version-failed', severity } };
  }
  if (report.verdict === Verdict.Passed && record.pageOpen) return { kind: 'resolve' };
  // Our own missing permission (after the role propagation grace): the operators' to fix, never a
  // quarantine (the verdict is Inconclusive).
  if (report.verdict === Verdict.Inconclusive && report.configurationError !== undefined) {
    return { kind: 'trigger', alarm: { eventClass: 'configuration-error', severity: 'error' } };
  }
  return { kind: 'none' };
}

/**
 * The verdict-actions use case: the actions the plan lists for this verdict under the version's mode,
 * then one card and (when warranted) one page. Idempotent: every step checks its own row or the live
 * version first, so calling it again after a crash, for a duplicate event or on a retry does nothing
 * twice. Throws TransientActionError when the caller should retry later; a permanent failure is
 * recorded, paged and returned.
 */
export async function runVerdictActions(
  deps: VerdictActionsDeps,
  report: VerdictReport,
  logger: Logger,
): Promise<VerdictActionsOutcome> {
  const log = logger.child({ runId: report.runId, versionId: report.versionId });
  const base = {
    versionId: report.versionId,
    runId: report.runId,
    verdict: report.verdict,
    actions: [],
    notifications: [],
  };
  if (!isValidReport(report)) {
    log.error('verdict actions: malformed verdict report; nothing done');
    return { ...base, status: 'invalid-report' };
  }
  const context = await loadVersionContext(deps, report.versionId, log);
  if (context.kind === 'invalid') return { ...base, status: 'invalid-report' };
  if (context.kind === 'out-of-scope') return { ...base, status: 'out-of-scope' };
  if (context.kind === 'not-found') return { ...base, status: 'version-not-found' };
  const { ref, policy } = context;
  const mode = policy.mode;
  // Dates derive from the verdict, not the wall clock, so duplicates and retries plan the same patch.
  const now = new Date(
    Math.min(deps.clock().getTime(), Date.parse(report.decidedAt) || Number.POSITIVE_INFINITY),
  );
  log.info('acting on verdict', { verdict: report.verdict, mode, modeSource: policy.modeSource });

  const effect: EffectContext = { runId: report.runId, now, actor: 'gallery-guard' };
  const { done, record } = await runPlan(
    deps.plan[mode][report.verdict],
    context.stored.record,
    effect,
    planPorts(deps, context, report.runId, now, log),
  ).catch((error: unknown) => rethrowClassified(error, 'remediation'));

  const taken = describeActionTaken(report.verdict, mode, done, record);
  const rolledBack = await latestAfterRollback(context, done, log);
  const actionTaken = rolledBack === undefined ? taken : `${taken} ${rolledBack}`;
  const notice: VerdictNotice = {
    report,
    ref,
    mode,
    owner: policy.owner,
    actionTaken,
    warnings: policy.warnings,
  };
  const page = pageFor(report, done, record, policy.severity);
  const notified = await notifyVerdict(
    deliveryDeps(deps),
    deps.config.notify,
    { notice, teamsWebhook: policy.teamsWebhook, page },
    log,
  );
  const open = page.kind === 'trigger';
  if (notified.pageDelivered && record.pageOpen !== open) await recordPageOpen(deps, ref.key, open);
  const status = failedStep(done) === undefined ? 'acted' : 'remediation-failed';
  log.info('verdict actions done', { status, actionTaken });
  return {
    ...base,
    status,
    mode,
    actionTaken,
    actions: done.map((d) => d.step),
    notifications: notified.notifications,
  };
}
