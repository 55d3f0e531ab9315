import { parseImageVersionId } from '../arm/resource-id';
import type { Logger } from '../logging/logger';
import type { DeliveryDeps, DeliveryOutcome } from './deliver';
import type { NotifyConfig } from './notification-action';
import { pageOnCall } from './page-oncall';
import type { VerdictNotice } from './verdict-notice';
import {
  resolvedPageEvent,
  stuckRunPageEvent,
  versionPageEvent,
  type StuckRunNotice,
  type VersionAlarm,
} from './version-page-events';

/** Pages on-call about a verdict (one incident per version; one page per run and channel). */
export function pageVersion(
  deps: DeliveryDeps,
  config: NotifyConfig,
  notice: VerdictNotice,
  alarm: VersionAlarm,
  logger: Logger,
): Promise<DeliveryOutcome[]> {
  const { report, ref } = notice;
  return pageOnCall(
    deps,
    config,
    { versionKey: ref.key, versionId: report.versionId, runId: report.runId, kind: 'trigger' },
    versionPageEvent(notice, alarm, deps.clock(), config.portalUrl),
    logger,
  );
}

/** Resolves the version's incident; `requestId` is the run (or release request) that resolves it. */
export function resolveVersionPage(
  deps: DeliveryDeps,
  config: NotifyConfig,
  version: { readonly versionKey: string; readonly versionId: string; readonly requestId: string },
  logger: Logger,
): Promise<DeliveryOutcome[]> {
  return pageOnCall(
    deps,
    config,
    {
      versionKey: version.versionKey,
      versionId: version.versionId,
      runId: version.requestId,
      kind: 'resolve',
    },
    resolvedPageEvent(version.versionKey, version.versionId, deps.clock()),
    logger,
  );
}

/** Pages on-call about a run that makes no progress (same incident as the version's other pages). */
export function pageRunStuck(
  deps: DeliveryDeps,
  config: NotifyConfig,
  stuck: StuckRunNotice,
  logger: Logger,
): Promise<DeliveryOutcome[]> {
  const ref = parseImageVersionId(stuck.versionId);
  return pageOnCall(
    deps,
    config,
    { versionKey: ref.key, versionId: stuck.versionId, runId: stuck.runId, kind: 'stuck' },
    stuckRunPageEvent(stuck, ref, deps.clock(), config.portalUrl),
    logger,
  );
}
