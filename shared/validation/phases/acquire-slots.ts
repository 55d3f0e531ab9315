import type { PhaseFunction } from '../validation-context';
import { Phase } from '../validation-phase';
import { runHash } from '../validation-resources';
import type { ValidationState } from '../validation-state';
import type { SlotRequest } from '../vm-slots';

export function slotRequests(runId: string, state: ValidationState): SlotRequest[] {
  return state.vms.map((vm) => ({ holder: `${runHash(runId)}-${vm.slot}`, region: vm.region }));
}

/**
 * Waits for a free VM slot per planned VM (per-region and per-subscription caps), all at once. A run
 * that gets none joins the FIFO waiter list; the run that releases slots wakes the longest waiting, and
 * the slot-wait delay is only the fallback poll.
 */
export const acquireSlots: PhaseFunction = async (ctx, run) => {
  const ok = await ctx.slots.acquireAll(slotRequests(run.runId, run.state), ctx.options.vmTtlMs);
  const since = run.state.slotWaitSince;
  if (ok) {
    if (since !== undefined) await ctx.slots.removeWaiter(since, runHash(run.runId));
    return { next: Phase.CreateVms, state: run.state };
  }
  const waitSince = since ?? ctx.clock().toISOString();
  await ctx.slots.addWaiter(run.runId, waitSince, runHash(run.runId));
  // Jitter spreads fallback polls so waiting runs do not all hit the slot table at the same instant.
  const afterMs = Math.round(ctx.options.slotWaitMs * (0.75 + Math.random() * 0.5));
  return {
    next: Phase.AcquireSlots,
    state: { ...run.state, slotWaitSince: waitSince },
    afterMs,
    reason: 'all VM slots are taken',
  };
};
