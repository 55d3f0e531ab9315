import type { Logger } from '../logging/logger';
import { toError } from '../logging/logger';
import {
  isAuthorizationFailure,
  withinAuthorizationGrace,
  type AuthorizationGrace,
} from '../azure/authorization';
import { ActionWaitError, isTransient, TransientActionError } from '../azure/action-errors';
import { ggMetrics } from '../telemetry/metrics';
import {
  ActionStatus,
  FINISHED_ACTION_STATUSES,
  readActionRow,
  writeActionRow,
  type ActionRow,
} from './remediation-ledger';
import {
  applyRemediationAction,
  busyRetryMs,
  type Plan,
  type PlanContext,
  type RemediationAction,
  type StepSummary,
} from './remediation-action';
import type { ActionTarget } from './remediation-action';
import type { VersionState } from './version-state';

export type { StepSummary } from './remediation-action';

const DONE = FINISHED_ACTION_STATUSES;

function fromRow(row: ActionRow): StepSummary {
  const outcome =
    row.status === 'Applied'
      ? 'applied'
      : row.status === 'Skipped'
        ? 'skipped'
        : row.status === 'Refused'
          ? 'refused'
          : 'failed';
  return {
    action: row.action,
    outcome,
    reason: row.reason,
    before: row.before === undefined ? undefined : (JSON.parse(row.before) as VersionState),
    after: row.after === undefined ? undefined : (JSON.parse(row.after) as VersionState),
  };
}

export interface StepOptions {
  readonly runId: string;
  readonly maxAttempts: number;
  readonly now: Date;
  /** Called with the plan before any PATCH, to record intent (e.g. which exclusions we own). */
  readonly beforePatch?: (plan: Extract<Plan, { kind: 'patch' }>, before: VersionState) => Promise<void>;
  /** Authorization failures within it are waited out (role propagation), not attempts. */
  readonly authorization?: AuthorizationGrace;
  /** The wall clock, for waits (`now` is the verdict's time, the same on every retry). */
  readonly clock?: () => Date;
}

/**
 * Longest a step waits for its version without spending attempts: replication to every target region
 * "can take up to six hours" (Troubleshoot images in an Azure Compute Gallery, Replication speed); twice
 * that, then the step fails and pages like any other failure.
 */
export const MAX_WAIT_MS = 12 * 3600_000;

/**
 * One remediation action of one run, recorded in its own row with before/after. A finished row is the
 * answer on replay; a transient failure is retried (by the caller's requeue) until `maxAttempts`, then
 * recorded as Failed like any permanent error.
 */
export async function runRemediationStep(
  target: ActionTarget,
  action: RemediationAction<unknown>,
  params: unknown,
  context: PlanContext,
  options: StepOptions,
  table: Parameters<typeof readActionRow>[0],
  logger: Logger,
): Promise<StepSummary> {
  const versionKey = target.ref.key;
  const existing = await readActionRow(table, versionKey, options.runId, action.name);
  if (existing !== undefined && DONE.includes(existing.status)) return fromRow(existing);
  const attempts = (existing?.attempts ?? 0) + 1;
  const at = options.now.toISOString();
  let sentPatchBefore = existing?.sentPatchBefore;
  const sent = (): { sentPatchBefore?: string } => (sentPatchBefore === undefined ? {} : { sentPatchBefore });
  const recordIntent = async (
    plan: Extract<Plan, { kind: 'patch' }>,
    before: VersionState,
  ): Promise<void> => {
    await options.beforePatch?.(plan, before);
    sentPatchBefore ??= JSON.stringify(before);
    await writeActionRow(table, versionKey, {
      action: action.name,
      runId: options.runId,
      status: ActionStatus.Patching,
      reason: plan.reason,
      attempts: existing?.attempts ?? 0,
      at,
      ...sent(),
    });
  };
  try {
    const result = await applyRemediationAction(target, action, params, context, logger, recordIntent);
    // Nothing to do because an earlier attempt's PATCH landed before it could record so: that is
    // this step's change, recorded as applied from the state that attempt read.
    const ownEarlierPatch = result.outcome === 'skipped' && existing?.sentPatchBefore !== undefined;
    const status =
      result.outcome === 'applied' || ownEarlierPatch
        ? ActionStatus.Applied
        : result.outcome === 'skipped'
          ? ActionStatus.Skipped
          : ActionStatus.Refused;
    // A concurrent duplicate may have recorded this step too: the row that stands is the answer.
    const stands = await writeActionRow(table, versionKey, {
      action: action.name,
      runId: options.runId,
      status,
      reason: ownEarlierPatch ? `${result.reason} (an earlier attempt's PATCH had landed)` : result.reason,
      attempts,
      // The step's change starts from what its first PATCHing attempt read, not from a half-done state.
      before:
        result.outcome === 'refused'
          ? JSON.stringify(result.before)
          : (existing?.sentPatchBefore ?? JSON.stringify(result.before)),
      after: JSON.stringify(result.after),
      at,
    });
    return fromRow(stands);
  } catch (thrown) {
    const wall = (options.clock ?? (() => options.now))();
    const waiting =
      thrown instanceof ActionWaitError ||
      (isAuthorizationFailure(thrown) &&
        options.authorization !== undefined &&
        withinAuthorizationGrace(options.authorization, wall));
    const since =
      existing?.status === ActionStatus.Waiting
        ? (existing.waitingSince ?? wall.toISOString())
        : wall.toISOString();
    if (waiting && wall.getTime() - Date.parse(since) < MAX_WAIT_MS) {
      const reason = `waiting: ${toError(thrown).message.slice(0, 300)}`;
      const stands = await writeActionRow(table, versionKey, {
        action: action.name,
        runId: options.runId,
        status: ActionStatus.Waiting,
        reason,
        attempts: existing?.attempts ?? 0,
        at,
        waitingSince: since,
        ...sent(),
      });
      if (DONE.includes(stands.status)) return fromRow(stands);
      logger.info(`remediation ${action.name}: waiting, not an attempt`, { reason, since });
      throw thrown instanceof ActionWaitError
        ? thrown
        : new ActionWaitError(`${action.name}: ${reason}`, {
            cause: thrown,
            retryAfterMs: busyRetryMs(target),
          });
    }
    const error = toError(thrown);
    const transient = isTransient(thrown);
    const giveUp = !transient || attempts >= options.maxAttempts;
    const reason = `${transient ? 'transient' : 'permanent'} error: ${error.message.slice(0, 300)}`;
    const stands = await writeActionRow(table, versionKey, {
      action: action.name,
      runId: options.runId,
      status: giveUp ? ActionStatus.Failed : ActionStatus.Retrying,
      reason,
      attempts,
      at,
      ...sent(),
    });
    // A duplicate finished the step while this one failed: its record is the answer.
    if (stands.status !== ActionStatus.Failed && stands.status !== ActionStatus.Retrying)
      return fromRow(stands);
    if (!giveUp) {
      logger.warn(`remediation ${action.name} failed; will retry`, { attempts, error });
      throw new TransientActionError(`${action.name} failed (attempt ${attempts})`, { cause: thrown });
    }
    logger.error(`remediation ${action.name} failed for good`, { attempts, error });
    ggMetrics.remediationFailed(action.name);
    return { action: action.name, outcome: 'failed', reason };
  }
}
