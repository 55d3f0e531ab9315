import { parseImageVersionId } from '../../arm/resource-id';
import { RunConflictError } from '../../ledger/ledger-errors';
import type { RunKey } from '../../ledger/run-key';
import type { RunLedger } from '../../ledger/run-ledger';
import type { RunQueue } from '../../ledger/run-queue';
import { RunState } from '../../ledger/run-state';
import type { ValidationRun } from '../../ledger/validation-run';
import { toError } from '../../logging/logger';
import { ArmThrottledError, countArmCalls } from '../../azure/arm-call-limiter';
import { ArmFault, classifyArmError } from '../../azure/arm-error-classification';
import { isAuthorizationFailure, withinAuthorizationGrace } from '../../azure/authorization';
import { inconclusive } from '../run/state-helpers';
import type { PhaseResult, ValidationContext } from '../run/validation-context';
import { AFTER_DECISION, PHASES } from './validation-phases';
import { Phase } from '../run/validation-phase';
import { completionLine, transitionLine } from '../run/progress-line';
import type { ValidationRecords } from './validation-records';
import {
  progressColumns,
  readProgress,
  type StoredProgress,
  type ValidationState,
} from '../run/validation-state';
import { recordRunMetrics } from './run-metrics';

export interface EngineDeps extends ValidationContext {
  readonly ledger: RunLedger;
  readonly runQueue: RunQueue;
  readonly records: ValidationRecords;
}

export type ReconcileOutcome = 'missing' | 'complete' | 'busy' | 'not-due' | 'waiting' | 'completed-now';

/** Rows that are done never come due again. */
export const NEVER = '9999-12-31T23:59:59.999Z';
/** A message may arrive this much before its run is due (queue delays are whole seconds). */
const EARLY_TOLERANCE_MS = 1000;
const MAX_PHASES_PER_INVOCATION = 16;

const FINAL_STATE = {
  Passed: RunState.Passed,
  Failed: RunState.Failed,
  Inconclusive: RunState.Inconclusive,
} as const;

/**
 * Level-triggered reconcile of one run: re-read the row, claim it (ETag), run the current phase, persist
 * the result with the row's ETag, and either go on, requeue with a delay, or finish. Any instance may
 * crash at any line: the claim expires, the reconciler timer re-drives the run and every phase finds
 * what an earlier execution already did.
 */
export async function reconcileRun(
  deps: EngineDeps,
  key: RunKey,
  claimRetries = 2,
): Promise<ReconcileOutcome> {
  const run = await deps.ledger.getRun(key);
  if (run === undefined) return 'missing';
  const stored = readProgress(run.extra);
  if (stored.phase === Phase.Complete) {
    // A redelivery after a crash between the final row write and its index write heals the index.
    // Step and check rows need no healing: each was written before the row recorded its step.
    await deps.ledger.reindex(run);
    return 'complete';
  }
  const now = deps.clock();
  // A run waiting for VM slots may be woken while its previous invocation is still finishing: look
  // again in a second rather than drop the wake-up (other duplicates are simply dropped).
  const busy = async (): Promise<ReconcileOutcome> => {
    if (stored.phase === Phase.AcquireSlots) await deps.runQueue.enqueue(key, { delaySeconds: 1 });
    return 'busy';
  };
  if (stored.claimedUntil !== undefined && Date.parse(stored.claimedUntil) > now.getTime()) return busy();
  // Early messages are duplicates, except wake-ups of runs waiting for a VM slot.
  const early = Date.parse(run.nextActionAt) > now.getTime() + EARLY_TOLERANCE_MS;
  if (run.state !== RunState.Queued && early && stored.phase !== Phase.AcquireSlots) {
    return 'not-due';
  }
  let phase = stored.phase;
  let state = stored.state;
  if (run.state === RunState.Cancelled && !AFTER_DECISION.includes(phase)) {
    phase = Phase.CleanUp;
    state = { ...state, cancelled: true };
  }
  const log = deps.logger.child({ runId: run.runId, versionId: run.versionId });
  const claimUntil = new Date(now.getTime() + deps.options.claimMs).toISOString();
  let current: ValidationRun;
  let attempt = phase === stored.phase ? stored.phaseAttempt + 1 : 1;
  try {
    current = await deps.ledger.updateRun(run, {
      state: run.state === RunState.Cancelled ? RunState.Cancelled : RunState.Running,
      nextActionAt: claimUntil,
      extra: progressColumns({ phase, phaseAttempt: attempt, claimedUntil: claimUntil, state }),
    });
  } catch (error) {
    if (!(error instanceof RunConflictError)) throw error;
    // The row changed between our read and the claim. Another owner's claim means busy; but ingest
    // also touches a fresh run (it marks enqueuedAt right after sending this very message), and
    // dropping the message then would leave the run to the reconciler's grace: look again.
    const claimed = readProgress(error.current?.extra ?? {}).claimedUntil;
    const owned = claimed !== undefined && Date.parse(claimed) > deps.clock().getTime();
    if (!owned && claimRetries > 0) return reconcileRun(deps, key, claimRetries - 1);
    return busy();
  }
  const version = parseImageVersionId(run.versionId);

  for (let i = 0; i < MAX_PHASES_PER_INVOCATION; i++) {
    const startedAt = deps.clock().toISOString();
    const view = {
      runId: run.runId,
      versionId: current.versionId,
      version,
      instanceId: current.instanceId,
      firstSeenAt: run.firstSeenAt,
      phaseAttempt: attempt,
      state,
    };
    let result: PhaseResult;
    const counter = { calls: 0 };
    try {
      result = await countArmCalls(counter, () => PHASES[phase](deps, view));
    } catch (thrown) {
      result = afterError(deps, phase, state, thrown);
      log.warn('Validation step failed; will retry', { phase, error: toError(thrown), attempt });
    }
    const calls = counter.calls;
    state = withStepStats(result.state, phase, startedAt, deps.clock().toISOString(), calls, result);
    const waiting = result.afterMs !== undefined;
    const next = result.next;
    const nextAttempt = waiting ? (next === phase ? attempt : 0) : 1;
    const progress: StoredProgress = {
      phase: next,
      phaseAttempt: nextAttempt,
      claimedUntil: waiting || next === Phase.Complete ? undefined : claimUntil,
      state,
    };
    const finalState = next === Phase.Complete ? completedState(current, state) : undefined;
    const nextActionAt =
      next === Phase.Complete
        ? NEVER
        : waiting
          ? new Date(deps.clock().getTime() + (result.afterMs ?? 0)).toISOString()
          : claimUntil;
    // Step and check rows are written ahead of the row that records the step: a crash between the two
    // then repeats the step, which writes the same rows again; written after, a crash would lose them.
    const stats = state.steps[phase];
    if (stats !== undefined) await deps.records.writeStep(run.runId, phase, stats);
    if (phase === Phase.Decide) await deps.records.writeChecks(run.runId, state.checks);
    try {
      current = await deps.ledger.updateRun(current, {
        ...(finalState === undefined
          ? {}
          : { state: finalState, stateReason: state.verdictReason?.slice(0, 500) }),
        nextActionAt,
        ...(result.instanceId === undefined ? {} : { instanceId: result.instanceId }),
        extra: progressColumns(progress),
      });
    } catch (error) {
      // Someone else owns the run now (our claim expired): stop without acting further.
      if (error instanceof RunConflictError) return 'busy';
      throw error;
    }
    recordRunMetrics(current, phase, next, state, deps.clock());
    if (next !== phase)
      log.info('Validation step done', {
        phase,
        next,
        armCalls: calls,
        reason: result.reason,
        summary: transitionLine(version, phase, next, stats),
      });
    if (next === Phase.Complete) {
      log.info('Validation run complete', {
        verdict: state.verdict,
        state: finalState,
        armCalls: state.armCalls,
        summary: completionLine(version, finalState ?? 'Complete', run.firstSeenAt, deps.clock()),
      });
      return 'completed-now';
    }
    if (waiting) {
      await deps.runQueue.enqueue(key, { delaySeconds: Math.round((result.afterMs ?? 0) / 1000) });
      return 'waiting';
    }
    phase = next;
    attempt = 1;
  }
  // Too many phases in one invocation (should not happen): hand over to a fresh message.
  await deps.runQueue.enqueue(key, {});
  return 'waiting';
}

function completedState(run: ValidationRun, state: ValidationState): RunState {
  if (state.cancelled || run.state === RunState.Cancelled) return RunState.Cancelled;
  return FINAL_STATE[state.verdict ?? 'Inconclusive'];
}

function withStepStats(
  state: ValidationState,
  phase: Phase,
  startedAt: string,
  endedAt: string,
  calls: number,
  result: PhaseResult,
): ValidationState {
  const previous = state.steps[phase];
  return {
    ...state,
    armCalls: state.armCalls + calls,
    steps: {
      ...state.steps,
      [phase]: {
        startedAt: previous?.startedAt ?? startedAt,
        endedAt,
        attempts: (previous?.attempts ?? 0) + 1,
        armCalls: (previous?.armCalls ?? 0) + calls,
        outcome: result.next === phase ? (result.reason ?? 'retry') : `done → ${result.next}`,
      },
    },
  };
}

/**
 * 403 AuthorizationFailed is our access, never the image. Within the grace period after a deployment
 * roles may still be propagating (up to 30 minutes, per Azure RBAC's troubleshooting guide): wait
 * without spending the fault budget. After it, it is a configuration error: the run ends Inconclusive
 * (never Failed, so nothing is quarantined) and the operators are paged. Clean-up keeps retrying.
 */
function afterAuthorizationFailure(
  deps: EngineDeps,
  phase: Phase,
  state: ValidationState,
  thrown: unknown,
): PhaseResult | undefined {
  const fault = classifyArmError(thrown);
  const reason = `${fault.code}: ${fault.message}`.slice(0, 300);
  const grace = deps.options.authorization;
  if (grace !== undefined && withinAuthorizationGrace(grace, deps.clock())) {
    const afterMs = Math.min(Math.max(deps.options.infraBackoffMs, 1) * 2, 120_000);
    return { next: phase, state, afterMs, reason: `waiting for role assignments to propagate (${reason.slice(0, 100)})` };
  }
  if (AFTER_DECISION.includes(phase) || phase === Phase.Decide) return undefined;
  const message = `gallery-guard lacks a permission (a configuration error, not the image): ${reason}`;
  return {
    next: Phase.Decide,
    state: { ...inconclusive(state, message), configurationError: reason },
  };
} // prettier-ignore

/**
 * A thrown error is never a verdict on the image: back off (honouring Retry-After) and retry; once the
 * budget is spent, the run ends Inconclusive. Cleanup and later phases retry without a budget, because
 * what we created must go.
 */
function afterError(deps: EngineDeps, phase: Phase, state: ValidationState, thrown: unknown): PhaseResult {
  if (isAuthorizationFailure(thrown)) {
    const authorization = afterAuthorizationFailure(deps, phase, state, thrown);
    if (authorization !== undefined) return authorization;
  }
  const fault = thrown instanceof ArmThrottledError ? undefined : classifyArmError(thrown);
  const faults = state.infraFaults + 1;
  const reason =
    thrown instanceof ArmThrottledError ? thrown.message : `${fault?.code}: ${fault?.message ?? ''}`;
  const base = Math.max(deps.options.infraBackoffMs, 1);
  const backoff = Math.min(base * 2 ** Math.min(faults - 1, 6), 30 * 60_000);
  const retryAfter =
    thrown instanceof ArmThrottledError
      ? thrown.retryAfterMs
      : fault?.fault === ArmFault.Throttled
        ? fault.retryAfterMs
        : undefined;
  const afterMs = Math.max(backoff * (0.8 + deps.random() * 0.4), retryAfter ?? 0);
  const counted: ValidationState = { ...state, infraFaults: faults, lastInfraFault: reason.slice(0, 300) };
  if (!AFTER_DECISION.includes(phase) && phase !== Phase.Decide && faults > deps.options.infraRetryBudget) {
    return {
      next: Phase.Decide,
      state: inconclusive(
        counted,
        `gave up after ${faults} infrastructure faults; last: ${reason.slice(0, 200)}`,
      ),
    };
  }
  return { next: phase, state: counted, afterMs, reason: `retry after ${reason.slice(0, 120)}` };
}
