import type { ValidationRun } from '../../ledger/validation-run';
import { ggMetrics } from '../../telemetry/metrics';
import { Phase } from '../run/validation-phase';
import type { ValidationState } from '../run/validation-state';

/**
 * Metrics of a phase transition the run row has just stored (so a conflicting duplicate that lost
 * the write records nothing): the verdict with its durations when Decide finishes, the slot wait
 * (0 when slots were free at once) when AcquireSlots finishes.
 */
export function recordRunMetrics(
  run: ValidationRun,
  phase: Phase,
  next: Phase,
  state: ValidationState,
  now: Date,
): void {
  if (next === phase) return;
  if (phase === Phase.Decide && state.verdict !== undefined && state.decidedAt !== undefined) {
    ggMetrics.verdictDecided({
      verdict: state.verdict,
      decidedAt: state.decidedAt,
      firstSeenAt: run.firstSeenAt,
      ...(run.eventTime === undefined ? {} : { eventTime: run.eventTime }),
    });
  }
  if (phase === Phase.AcquireSlots) {
    ggMetrics.slotWaited(state.slotWaitSince ?? now.toISOString(), now.toISOString());
  }
}
