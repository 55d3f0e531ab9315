import { parseImageVersionId } from '../arm/resource-id';
import type { Logger } from '../logging/logger';
import type { DeliveryOutcome } from '../notify/deliver';
import { pageDelivered } from '../notify/page-oncall';
import { pageRunStuck } from '../notify/page-version';
import type { StuckRunNotice } from '../notify/version-page-events';
import { readRecord } from './remediation-ledger';
import { ensureVerdictActionTables, deliveryDeps, type VerdictActionsDeps } from './verdict-actions-deps';
import { recordPageOpen } from './version-pages';

export type StuckRun = StuckRunNotice;

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
  const outcomes = await pageRunStuck(deliveryDeps(deps), deps.config.notify, stuck, log);
  // Remember the open incident so a later pass resolves it (only if we already track the version).
  if (pageDelivered(outcomes) && (await readRecord(deps.remediationTable, ref.key)) !== undefined) {
    await recordPageOpen(deps, ref.key, true);
  }
  return outcomes;
}
