import type { Logger } from '../logging/logger';
import type { DeliveryOutcome } from '../notify/deliver';
import { pageDelivered } from '../notify/page-oncall';
import { resolveVersionPage } from '../notify/page-version';
import { updateRecord } from './remediation-ledger';
import { deliveryDeps, type VerdictActionsDeps } from './verdict-actions-deps';

/** Remembers whether the version's incident is open, so a later pass or a release resolves it. */
export async function recordPageOpen(
  deps: VerdictActionsDeps,
  versionKey: string,
  open: boolean,
): Promise<void> {
  await updateRecord(deps.remediationTable, versionKey, (r) => ({ ...r, pageOpen: open }));
}

/** Resolves the version's open incident (a person released the version). */
export async function resolvePage(
  deps: VerdictActionsDeps,
  versionKey: string,
  versionId: string,
  requestId: string,
  logger: Logger,
): Promise<DeliveryOutcome[]> {
  const outcomes = await resolveVersionPage(
    deliveryDeps(deps),
    deps.config.notify,
    { versionKey, versionId, requestId },
    logger,
  );
  if (pageDelivered(outcomes)) await recordPageOpen(deps, versionKey, false);
  return outcomes;
}
