import type { RemediationMode } from '../config';
import type { Logger } from '../logging/logger';
import type { DeliveryOutcome } from '../notify/deliver';
import { dedupKeyFor, type PageEvent } from '../notify/page-event';
import { pageDelivered, pageOnCall } from '../notify/page-oncall';
import { sendVerdictCard } from '../notify/send-verdict-card';
import { portalLink, type VerdictNotice } from '../notify/verdict-notice';
import type { ImageVersionRef } from '../arm/resource-id';
import { Verdict, type VerdictReport } from '../verdict/verdict';
import { remediationAction } from './registry';
import { updateRecord } from './remediation-ledger';
import { isQuarantined, type RemediationRecord } from './remediation-record';
import { runRemediationStep, type StepSummary } from './run-remediation-step';
import { deliveryDeps, type VerdictActionsDeps } from './verdict-actions-deps';
import { loadVersionContext, rethrowClassified } from './version-context';
import { regionKey } from './version-state';

export { TransientActionError, PermanentActionError } from '../azure/action-errors';
export type { VerdictActionsDeps } from './verdict-actions-deps';
export { createVerdictActionsDeps } from './verdict-actions-deps';

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

/** Which remediation actions a verdict calls for under a mode (Inconclusive: none, ever). */
export function plannedActions(verdict: Verdict, mode: RemediationMode): readonly string[] {
  if (verdict === Verdict.Failed && mode !== 'report-only') return ['exclude-from-latest', 'end-of-life'];
  if (verdict === Verdict.Passed && mode === 'gate') return ['promote'];
  return [];
}

function describeActions(
  verdict: Verdict,
  mode: RemediationMode,
  steps: readonly StepSummary[],
  record: RemediationRecord,
): string {
  if (verdict === Verdict.Inconclusive)
    return 'Nothing changed: an inconclusive run never changes Azure. Operators alerted.';
  const failed = steps.find((s) => s.outcome === 'failed');
  if (failed !== undefined) return `Remediation FAILED (${failed.action}: ${failed.reason}). On-call paged.`;
  if (verdict === Verdict.Failed && mode === 'report-only') return 'Report-only: nothing changed in Azure.';
  if (verdict === Verdict.Passed && isQuarantined(record) && steps.every((s) => s.outcome !== 'applied')) {
    return `Still quarantined (run ${record.quarantinedRunId ?? '?'}): nothing is re-included until a person releases it (npm run gg -- release).`;
  }
  const parts = steps.map((s) => {
    if (s.action === 'exclude-from-latest') {
      return s.outcome === 'applied'
        ? 'Excluded from latest (version and every region)'
        : 'Already excluded from latest';
    }
    if (s.action === 'end-of-life') {
      return s.outcome === 'applied'
        ? `end of life set to ${s.after?.endOfLifeDate ?? '?'}`
        : `end of life kept (${s.reason})`;
    }
    if (s.action === 'promote') {
      return s.outcome === 'applied'
        ? 'Promoted: the gate lifted, eligible for latest'
        : `Not promoted: ${s.reason}`;
    }
    return `${s.action}: ${s.outcome}`;
  });
  return parts.length === 0 ? 'None needed.' : `${parts.join('; ')}.`;
}

// An agent that never became Ready is a symptom; a boot-log or in-guest finding says why, so it leads.
const SYMPTOM_CHECKS: ReadonlySet<string> = new Set(['guest-agent']);

function pageEvent(
  deps: VerdictActionsDeps,
  report: VerdictReport,
  ref: ImageVersionRef,
  kind: 'version-failed' | 'remediation-failed',
  severity: PageEvent['severity'],
  actionTaken: string,
): PageEvent {
  const { key: versionKey, image, version, gallery } = ref;
  const failing = report.checks
    .filter((c) => c.status === 'Failed')
    .sort((a, b) => Number(SYMPTOM_CHECKS.has(a.name)) - Number(SYMPTOM_CHECKS.has(b.name)))
    .map((c) => `${c.name}: ${c.reason}`);
  const summary =
    kind === 'version-failed'
      ? `Image ${image} version ${version} failed validation and was quarantined: ${failing[0] ?? 'see details'}`
      : `gallery-guard could not quarantine failed image ${image} version ${version}: ${actionTaken}`;
  return {
    action: 'trigger',
    dedupKey: dedupKeyFor(versionKey),
    summary,
    severity,
    source: report.versionId,
    component: image,
    group: gallery,
    eventClass: kind,
    timestamp: deps.clock().toISOString(),
    details: {
      verdict: report.verdict,
      runId: report.runId,
      actionTaken,
      failingChecks: failing.slice(0, 10),
      regions: report.regions,
    },
    links: [
      {
        href: portalLink(deps.config.notify.portalUrl, report.versionId),
        text: 'Image version in the Azure portal',
      },
    ],
  };
}

function isValidReport(report: VerdictReport): boolean {
  return (
    typeof report.runId === 'string' &&
    report.runId.length > 0 &&
    typeof report.versionId === 'string' &&
    VERDICTS.includes(report.verdict) &&
    Array.isArray(report.checks)
  );
}

/**
 * Acts on one verdict: remediation per the version's policy, then one card and (when warranted) one page.
 * Idempotent: every step checks its own row or the live version first, so calling it again after a
 * crash, for a duplicate event or on a retry does nothing twice. Throws TransientActionError when the
 * caller should retry later; a permanent failure is recorded, paged and returned.
 */
export async function actOnVerdict(
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
  const { ref, target, policy } = context;
  const mode = policy.mode;
  // Dates derive from the verdict, not the wall clock, so duplicates and retries plan the same patch.
  const now = new Date(
    Math.min(deps.clock().getTime(), Date.parse(report.decidedAt) || Number.POSITIVE_INFINITY),
  );
  const table = deps.remediationTable;
  let record = context.stored.record;
  log.info('acting on verdict', { verdict: report.verdict, mode, modeSource: policy.modeSource });

  const steps: StepSummary[] = [];
  try {
    for (const name of plannedActions(report.verdict, mode)) {
      const action = remediationAction(name);
      const params = action.validate(
        name === 'end-of-life' ? { graceDays: deps.config.remediation.eolGraceDays } : undefined,
      );
      const step = await runRemediationStep(
        target,
        action,
        params,
        { now, record },
        {
          runId: report.runId,
          maxAttempts: deps.config.remediation.maxAttempts,
          now,
          beforePatch: async (plan, before) => {
            record = await updateRecord(table, ref.key, (r) =>
              ownExclusions(r, name, plan.patch, before, report.runId),
            );
          },
        },
        table,
        log,
      );
      steps.push(step);
      if (step.outcome === 'failed') break;
    }
    record = await updateRecord(table, ref.key, (r) => afterSteps(r, report, steps));
  } catch (error) {
    rethrowClassified(error, 'remediation');
  }

  const remediationFailed = steps.some((s) => s.outcome === 'failed');
  const actionTaken = describeActions(report.verdict, mode, steps, record);
  const notice: VerdictNotice = {
    report,
    ref,
    mode,
    owner: policy.owner,
    actionTaken,
    warnings: policy.warnings,
  };
  const delivery = deliveryDeps(deps);
  const notifications: DeliveryOutcome[] = [];
  const audience =
    report.verdict === Verdict.Inconclusive
      ? ({ kind: 'operators' } as const)
      : ({ kind: 'owner', webhookName: policy.teamsWebhook } as const);
  notifications.push(await sendVerdictCard(delivery, deps.config.notify, { notice, audience }, log));

  const quarantined =
    report.verdict === Verdict.Failed &&
    steps.some(
      (s) => s.action === 'exclude-from-latest' && (s.outcome === 'applied' || s.outcome === 'skipped'),
    );
  if (quarantined || remediationFailed) {
    const kind = remediationFailed ? 'remediation-failed' : 'version-failed';
    const severity = remediationFailed ? 'critical' : policy.severity;
    const event = pageEvent(deps, report, ref, kind, severity, actionTaken);
    const paged = await pageOnCall(
      delivery,
      deps.config.notify,
      { versionKey: ref.key, versionId: report.versionId, runId: report.runId, kind: 'trigger' },
      event,
      log,
    );
    notifications.push(...paged);
    if (pageDelivered(paged) && !record.pageOpen) {
      await updateRecord(table, ref.key, (r) => ({ ...r, pageOpen: true }));
    }
  } else if (report.verdict === Verdict.Passed && record.pageOpen) {
    const resolved = await resolvePage(deps, ref.key, report.versionId, report.runId, log);
    notifications.push(...resolved);
  }
  const status = remediationFailed ? 'remediation-failed' : 'acted';
  log.info('verdict actions done', { status, actionTaken });
  return { ...base, status, mode, actionTaken, actions: steps, notifications };
}

/** Resolves the version's open incident (a later run passed, or a person released the version). */
export async function resolvePage(
  deps: VerdictActionsDeps,
  versionKey: string,
  versionId: string,
  requestId: string,
  logger: Logger,
): Promise<DeliveryOutcome[]> {
  const event: PageEvent = {
    action: 'resolve',
    dedupKey: dedupKeyFor(versionKey),
    summary: 'resolved',
    severity: 'info',
    source: versionId,
    eventClass: 'resolved',
    timestamp: deps.clock().toISOString(),
    details: {},
    links: [],
  };
  const outcomes = await pageOnCall(
    deliveryDeps(deps),
    deps.config.notify,
    { versionKey, versionId, runId: requestId, kind: 'resolve' },
    event,
    logger,
  );
  if (pageDelivered(outcomes))
    await updateRecord(deps.remediationTable, versionKey, (r) => ({ ...r, pageOpen: false }));
  return outcomes;
}

/** Before a quarantine PATCH: remember which flags gallery-guard is about to turn on (it owns those). */
function ownExclusions(
  record: RemediationRecord,
  action: string,
  patch: { readonly regions?: Readonly<Record<string, boolean>>; readonly excludeFromLatest?: boolean },
  before: {
    readonly excludeFromLatest: boolean;
    readonly regions: readonly { name: string; excludeFromLatest: boolean }[];
  },
  runId: string,
): RemediationRecord {
  if (action === 'end-of-life') return { ...record, ownedEndOfLife: true };
  if (action !== 'exclude-from-latest') return record;
  const flipped = before.regions
    .filter((r) => !r.excludeFromLatest && patch.regions?.[regionKey(r.name)] === true)
    .map((r) => regionKey(r.name));
  return {
    ...record,
    ownedVersionExclusion:
      record.ownedVersionExclusion || (!before.excludeFromLatest && patch.excludeFromLatest === true),
    ownedRegionExclusions: [...new Set([...record.ownedRegionExclusions, ...flipped])],
    quarantinedRunId: runId,
    releasedAt: undefined,
    releasedBy: undefined,
  };
}

function afterSteps(
  record: RemediationRecord,
  report: VerdictReport,
  steps: readonly StepSummary[],
): RemediationRecord {
  let next = record;
  for (const step of steps) {
    if (
      step.action === 'exclude-from-latest' &&
      step.outcome !== 'failed' &&
      next.quarantinedRunId !== report.runId
    ) {
      next = { ...next, quarantinedRunId: report.runId, releasedAt: undefined, releasedBy: undefined };
    }
    if (step.action === 'promote' && step.outcome === 'applied')
      next = { ...next, promotedRunId: report.runId };
    if (step.outcome === 'failed') next = { ...next, remediationFailedRunId: report.runId };
  }
  return next;
}
