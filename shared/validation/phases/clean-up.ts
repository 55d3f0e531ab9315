import { ArmFault, classifyArmError } from '../arm-error-classification';
import type { PhaseFunction, ValidationContext } from '../validation-context';
import { Phase } from '../validation-phase';
import { nicName } from '../validation-resources';
import { slotRequests } from './acquire-slots';

type Presence = 'gone' | 'present' | 'deleting';

async function probe(get: () => Promise<{ provisioningState?: string }>): Promise<Presence> {
  try {
    const resource = await get();
    return resource.provisioningState === 'Deleting' ? 'deleting' : 'present';
  } catch (error) {
    if (classifyArmError(error).fault === ArmFault.NotFound) return 'gone';
    throw error;
  }
}

async function deleteVm(ctx: ValidationContext, name: string): Promise<void> {
  try {
    await ctx.compute.virtualMachines.beginDelete(ctx.options.resourceGroup, name, { forceDeletion: false });
  } catch (error) {
    if (classifyArmError(error).fault !== ArmFault.NotFound) throw error;
  }
}

/**
 * Deletes every VM the run created (disk and NIC go with it: deleteOption Delete) and every NIC left by a
 * VM that was never created, then confirms each is gone before releasing the run's VM slots. The first
 * visit only sends the deletes; later visits look.
 */
export const cleanUp: PhaseFunction = async (ctx, run) => {
  const rg = ctx.options.resourceGroup;
  const names = [
    ...new Set([...run.state.vms.map((v) => v.name), ...run.state.retiredVms.map((v) => v.name)]),
  ];
  if (run.phaseAttempt === 1) {
    const sent = run.state.vms.filter((v) => v.status !== 'Planned').map((v) => v.name);
    for (const name of sent) await deleteVm(ctx, name);
    if (sent.length > 0)
      return { next: Phase.CleanUp, state: run.state, afterMs: ctx.options.pollMs, reason: 'deleting VMs' };
  }
  let remaining = 0;
  for (const name of names) {
    const vm = await probe(() => ctx.compute.virtualMachines.get(rg, name));
    if (vm === 'present') await deleteVm(ctx, name);
    if (vm !== 'gone') {
      remaining++;
      continue;
    }
    const nic = await probe(() => ctx.network.networkInterfaces.get(rg, nicName(name)));
    if (nic === 'present') await ctx.network.networkInterfaces.beginDelete(rg, nicName(name));
    if (nic !== 'gone') remaining++;
  }
  if (remaining > 0) {
    return {
      next: Phase.CleanUp,
      state: run.state,
      afterMs: ctx.options.pollMs,
      reason: `${remaining} resources still exist`,
    };
  }
  await ctx.slots.releaseAll(slotRequests(run.runId, run.state));
  const state = { ...run.state, cleanedUpAt: run.state.cleanedUpAt ?? ctx.clock().toISOString() };
  const act = ctx.actOnVerdict !== undefined && !state.cancelled && state.verdict !== undefined;
  return { next: act ? Phase.ActOnVerdict : Phase.Complete, state };
};
