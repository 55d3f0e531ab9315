import { parseImageVersionId } from '../arm/resource-id';
import type { Logger } from '../logging/logger';
import type { DeliveryOutcome } from '../notify/deliver';
import { dedupKeyFor } from '../notify/page-event';
import { pageDelivered, pageOnCall } from '../notify/page-oncall';
import { portalLink } from '../notify/verdict-notice';
import { readRecord, updateRecord } from './remediation-ledger';
import { ensureVerdictActionTables, deliveryDeps, type VerdictActionsDeps } from './verdict-actions-deps';

export interface StuckRun {
  readonly versionId: string;
  readonly runId: string;
  /** Where the run is stuck, e.g. "deploying-vms". */
  readonly phase: string;
  /** When the run last made progress (ISO). */
  readonly since: string;
  readonly detail?: string;
}

/**
 * For the reconciler: pages on-call once per stuck run (same incident as the version's other pages;
 * a later Passed run or a release resolves it). Throws TransientActionError to be retried.
 */
export async function pageStuckRun(
  deps: VerdictActionsDeps,
  stuck: StuckRun,
  logger: Logger,
): Promise<DeliveryOutcome[]> {
  const ref = parseImageVersionId(stuck.versionId);
  const log = logger.child({ runId: stuck.runId, versionId: stuck.versionId });
  await ensureVerdictActionTables(deps);
  const outcomes = await pageOnCall(
    deliveryDeps(deps),
    deps.config.notify,
    { versionKey: ref.key, versionId: stuck.versionId, runId: stuck.runId, kind: 'stuck' },
    {
      action: 'trigger',
      dedupKey: dedupKeyFor(ref.key),
      summary: `gallery-guard run for ${ref.image} ${ref.version} is stuck in ${stuck.phase} since ${stuck.since}`,
      severity: 'warning',
      source: stuck.versionId,
      component: ref.image,
      group: ref.gallery,
      eventClass: 'run-stuck',
      timestamp: deps.clock().toISOString(),
      details: {
        runId: stuck.runId,
        phase: stuck.phase,
        since: stuck.since,
        detail: stuck.detail?.slice(0, 500),
      },
      links: [
        {
          href: portalLink(deps.config.notify.portalUrl, stuck.versionId),
          text: 'Image version in the Azure portal',
        },
      ],
    },
    log,
  );
  // Remember the open incident so a later pass resolves it (only if we already track the version).
  if (pageDelivered(outcomes) && (await readRecord(deps.remediationTable, ref.key)) !== undefined) {
    await updateRecord(deps.remediationTable, ref.key, (r) => ({ ...r, pageOpen: true }));
  }
  return outcomes;
}
