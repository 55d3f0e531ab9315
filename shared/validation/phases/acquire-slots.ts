import type { PhaseFunction, ValidationContext } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { runHash } from '../vm/validation-resources';
import type { ValidationState } from '../run/validation-state';
import type { SlotRequest } from '../vm/vm-slots';

export function slotRequests(runId: string, state: ValidationState): SlotRequest[] {
  return state.vms.map((vm) => ({ holder: `${runHash(runId)}-${vm.slot}`, region: vm.region }));
}

/**
 * Waits for a free VM slot per planned VM (per-region and per-subscription caps), all at once. A run
 * that gets none joins the FIFO waiter list and then tries once more, so a release that happened in
 * between is never missed; the run that releases slots wakes the longest waiting. The slot-wait delay
 * is only the fallback poll.
 */
export const acquireSlots: PhaseFunction = async (ctx, run) => {
  const requests = slotRequests(run.runId, run.state);
  const hash = runHash(run.runId);
  const since = run.state.slotWaitSince ?? ctx.clock().toISOString();
  let attempt = await ctx.slots.acquireAll(requests, ctx.options.vmTtlMs);
  if (!attempt.ok) {
    await wake(ctx, attempt.released);
    await ctx.slots.addWaiter(run.runId, since, hash);
    attempt = await ctx.slots.acquireAll(requests, ctx.options.vmTtlMs);
    await wake(ctx, attempt.released);
  }
  if (attempt.ok) {
    await ctx.slots.removeWaiter(since, hash);
    return { next: Phase.CreateVms, state: run.state };
  }
  // Jitter spreads fallback polls so waiting runs do not all hit the slot table at the same instant.
  const afterMs = Math.round(ctx.options.slotWaitMs * (0.75 + ctx.random() * 0.5));
  return {
    next: Phase.AcquireSlots,
    state: { ...run.state, slotWaitSince: since },
    afterMs,
    reason: 'all VM slots are taken',
  };
};

/** Wakes as many waiting runs as slots were just given back. */
export async function wake(ctx: ValidationContext, released: number): Promise<void> {
  if (released <= 0) return;
  const woken = await ctx.slots.popWaiters(released);
  for (const runId of woken) await ctx.wakeRun(runId);
  if (woken.length > 0) ctx.logger.debug('Woke runs waiting for VM slots', { woken });
}
