import { ArmFault, classifyArmError } from '../../azure/arm-error-classification';
import type { PhaseFunction, ValidationContext } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { nicName } from '../vm/validation-resources';
import { slotRequests, wake } from './acquire-slots';

async function deleteVm(ctx: ValidationContext, name: string): Promise<void> {
  try {
    await ctx.compute.virtualMachines.beginDelete(ctx.options.resourceGroup, name, { forceDeletion: false });
  } catch (error) {
    if (classifyArmError(error).fault !== ArmFault.NotFound) throw error;
  }
}

/** provisioningState by name of what exists in the validation resource group (one list call each). */
async function existing(
  list: AsyncIterable<{ name?: string; provisioningState?: string }>,
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for await (const r of list)
    if (r.name !== undefined) found.set(r.name.toLowerCase(), r.provisioningState ?? '');
  return found;
}

/**
 * Deletes every VM the run created (disk and NIC go with it: deleteOption Delete) and every NIC left by a
 * VM that was never created, then confirms each is gone before releasing the run's VM slots and waking
 * runs that wait for them. The first visit only sends the deletes; later visits look (two list calls).
 */
export const cleanUp: PhaseFunction = async (ctx, run) => {
  const rg = ctx.options.resourceGroup;
  const names = [
    ...new Set([...run.state.vms.map((v) => v.name), ...run.state.retiredVms.map((v) => v.name)]),
  ];
  if (run.phaseAttempt === 1) {
    const sent = run.state.vms.filter((v) => v.status !== 'Planned').map((v) => v.name);
    for (const name of sent) await deleteVm(ctx, name);
    if (sent.length > 0) {
      return { next: Phase.CleanUp, state: run.state, afterMs: ctx.options.pollMs, reason: 'deleting VMs' };
    }
  }
  const vms = await existing(ctx.compute.virtualMachines.list(rg));
  // A created VM takes its NIC and disk along (deleteOption Delete, same delete operation); only NICs
  // of VMs that were never created, or were given up, need looking for.
  const created = new Set(run.state.vms.filter((v) => v.status !== 'Planned').map((v) => v.name));
  const orphanable = names.filter((n) => !created.has(n));
  const nics =
    orphanable.length === 0
      ? new Map<string, string>()
      : await existing(ctx.network.networkInterfaces.list(rg));
  let remaining = 0;
  for (const name of names) {
    const vm = vms.get(name.toLowerCase());
    if (vm !== undefined) {
      if (vm !== 'Deleting') await deleteVm(ctx, name);
      remaining++;
      continue;
    }
    const nic = nics.get(nicName(name).toLowerCase());
    if (nic === undefined) continue;
    if (nic !== 'Deleting') await ctx.network.networkInterfaces.beginDelete(rg, nicName(name));
    remaining++;
  }
  if (remaining > 0) {
    return {
      next: Phase.CleanUp,
      state: run.state,
      afterMs: ctx.options.pollMs,
      reason: `${remaining} resources still exist`,
    };
  }
  // Everything is gone from here on (the VM slots are released just after).
  const state = { ...run.state, cleanedUpAt: run.state.cleanedUpAt ?? ctx.clock().toISOString() };
  const held = slotRequests(run.runId, run.state);
  await ctx.slots.releaseAll(held);
  await wake(ctx, held.length);
  const act = ctx.runVerdictActions !== undefined && !state.cancelled && state.verdict !== undefined;
  return { next: act ? Phase.ActOnVerdict : Phase.Complete, state };
};
