import type { Logger } from '../logging/logger';
import type { DeliveryOutcome } from '../notify/deliver';
import { remediationAction } from './registry';
import { updateRecord, writeReleaseRow } from './remediation-ledger';
import { applyRemediationAction } from './remediation-action';
import { contextRefusal, loadVersionContext, rethrowClassified } from './version-context';
import type { VerdictActionsDeps } from './verdict-actions-deps';
import type { VersionState } from './version-state';
import { resolvePage } from './version-pages';

export interface OperatorRequest {
  readonly versionId: string;
  readonly reason: string;
  /** Who asked: the App Service auth principal in Azure, else what the caller says. */
  readonly requestedBy: string;
  /** Unique per request (the invocation id): the audit row key and the page-resolve key. */
  readonly requestId: string;
}

export interface ReleaseOutcome {
  readonly status: 'released' | 'nothing-to-release' | 'out-of-scope' | 'invalid' | 'version-not-found';
  readonly reason: string;
  readonly before?: VersionState;
  readonly after?: VersionState;
  readonly notifications: readonly DeliveryOutcome[];
}

/**
 * A person releases a version: gallery-guard undoes the exclusions it made (quarantine) or held
 * (gate) and restores the original end of life, records who and why, and resolves the open page.
 */
export async function releaseVersion(
  deps: VerdictActionsDeps,
  request: OperatorRequest,
  logger: Logger,
): Promise<ReleaseOutcome> {
  const log = logger.child({ versionId: request.versionId, requestId: request.requestId });
  const context = await loadVersionContext(deps, request.versionId, log);
  if (context.kind !== 'ok') return { ...contextRefusal(context), notifications: [] };
  const { ref, target } = context;
  const now = deps.clock();
  try {
    const action = remediationAction('release');
    const result = await applyRemediationAction(
      target,
      action,
      action.validate(undefined),
      { now, record: context.stored.record },
      log,
    );
    const effect = { runId: request.requestId, now, actor: request.requestedBy };
    const record = await updateRecord(
      deps.remediationTable,
      ref.key,
      (r) => action.settle?.(r, result, effect) ?? r,
    );
    const status = result.outcome === 'applied' ? 'released' : 'nothing-to-release';
    await writeReleaseRow(deps.remediationTable, ref.key, {
      kind: 'release',
      versionId: request.versionId,
      requestedBy: request.requestedBy.slice(0, 200),
      reason: request.reason.slice(0, 1000),
      requestId: request.requestId,
      outcome: `${status}: ${result.reason}`,
      at: now.toISOString(),
    });
    log.info('version released by a person', { status, requestedBy: request.requestedBy });
    const notifications = record.pageOpen
      ? await resolvePage(deps, ref.key, request.versionId, `release:${request.requestId}`, log)
      : [];
    return { status, reason: result.reason, before: result.before, after: result.after, notifications };
  } catch (error) {
    return rethrowClassified(error, 'release');
  }
}

/** Records a re-validation request (who and why); starting the run is the caller's (ingest's) job. */
export async function recordRevalidationRequest(
  deps: VerdictActionsDeps,
  request: OperatorRequest,
  outcome: string,
  versionKey: string,
): Promise<void> {
  await writeReleaseRow(deps.remediationTable, versionKey, {
    kind: 'revalidate',
    versionId: request.versionId,
    requestedBy: request.requestedBy.slice(0, 200),
    reason: request.reason.slice(0, 1000),
    requestId: request.requestId,
    outcome,
    at: deps.clock().toISOString(),
  });
}
