import type { PhaseFunction } from '../validation-context';
import { Phase } from '../validation-phase';
import { runHash } from '../validation-resources';
import type { ValidationState } from '../validation-state';
import type { SlotRequest } from '../vm-slots';

export function slotRequests(runId: string, state: ValidationState): SlotRequest[] {
  return state.vms.map((vm) => ({ holder: `${runHash(runId)}-${vm.slot}`, region: vm.region }));
}

/** Waits for a free VM slot per planned VM (per-region and per-subscription caps), all at once. */
export const acquireSlots: PhaseFunction = async (ctx, run) => {
  const ok = await ctx.slots.acquireAll(slotRequests(run.runId, run.state), ctx.options.vmTtlMs);
  if (ok) return { next: Phase.CreateVms, state: run.state };
  // Jitter spreads waiting runs so they do not all poll the slot table at the same instant.
  const afterMs = Math.round(ctx.options.slotWaitMs * (0.75 + Math.random() * 0.5));
  return { next: Phase.AcquireSlots, state: run.state, afterMs, reason: 'all VM slots are taken' };
};
