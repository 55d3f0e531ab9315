import type { VirtualMachineInstanceView } from '@azure/arm-compute';
import { ArmFault, classifyArmError } from '../../azure/arm-error-classification';
import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { VmStatus, type ValidationState, type VmRecord } from '../run/validation-state';
import { replaceVm } from './replace-vm';
import { withVm } from '../run/state-helpers';
import { excerpt } from '../../verdict/excerpt';

/** Provisioning failures that are the image's doing: its agent or OS never finished provisioning. */
const IMAGE_FAULTS = /^(OSProvisioningTimedOut|OSProvisioningClientError|VMAgentStatusCommunicationError)$/i;

export type Readiness =
  | { readonly kind: 'ready' }
  | { readonly kind: 'pending' }
  | { readonly kind: 'image-failed'; readonly detail: string }
  | { readonly kind: 'infra-failed'; readonly detail: string; readonly capacity: boolean };

/** Reads ProvisioningState/PowerState and the guest agent's status from an instance view. */
export function readiness(view: VirtualMachineInstanceView): Readiness {
  const statuses = view.statuses ?? [];
  const failed = statuses.find((s) => s.code?.toLowerCase().startsWith('provisioningstate/failed'));
  if (failed !== undefined) {
    const reason = failed.code?.split('/')[2] ?? 'Unknown';
    // Azure's message runs on with help links; keep whole sentences ("… (generalized). …").
    const detail = excerpt(`${failed.code ?? ''}: ${failed.message ?? failed.displayStatus ?? ''}`, 300);
    if (IMAGE_FAULTS.test(reason)) return { kind: 'image-failed', detail };
    return { kind: 'infra-failed', detail, capacity: /Allocation|Sku|Capacity/i.test(reason) };
  }
  const provisioned = statuses.some((s) => s.code?.toLowerCase() === 'provisioningstate/succeeded');
  const running = statuses.some((s) => s.code?.toLowerCase() === 'powerstate/running');
  const agentReady = (view.vmAgent?.statuses ?? []).some((s) => s.displayStatus === 'Ready');
  return provisioned && running && agentReady ? { kind: 'ready' } : { kind: 'pending' };
}

function isRunning(view: VirtualMachineInstanceView): boolean {
  return (view.statuses ?? []).some((s) => s.code?.toLowerCase() === 'powerstate/running');
}

/**
 * Polls each VM until its agent is Ready (boot time measured from the create request), the image fails
 * to provision, or the boot timeout passes (an image whose agent never reports Ready fails).
 */
export const awaitReady: PhaseFunction = async (ctx, run) => {
  let state: ValidationState = run.state;
  const now = ctx.clock();
  for (const vm of run.state.vms.filter((v) => v.status === VmStatus.Creating)) {
    let view: VirtualMachineInstanceView;
    try {
      view = await ctx.compute.virtualMachines.instanceView(ctx.options.resourceGroup, vm.name);
    } catch (error) {
      if (classifyArmError(error).fault !== ArmFault.NotFound) throw error;
      // The create never landed (or ARM rolled it back): create it again under the same name.
      state = withVm(state, { ...vm, status: VmStatus.Planned });
      continue;
    }
    const elapsedMs = now.getTime() - Date.parse(vm.createRequestedAt ?? now.toISOString());
    const r = readiness(view);
    let updated: VmRecord | undefined;
    if (r.kind === 'ready') {
      updated = { ...vm, status: VmStatus.Ready, bootSeconds: Math.round(elapsedMs / 100) / 10 };
    } else if (r.kind === 'image-failed') {
      updated = { ...vm, status: VmStatus.ImageFailed, failure: r.detail };
    } else if (r.kind === 'infra-failed') {
      ctx.logger.warn('Validation VM failed for an infrastructure reason; replacing it', {
        vmName: vm.name,
        detail: r.detail,
      });
      await ctx.compute.virtualMachines.beginDelete(ctx.options.resourceGroup, vm.name, {
        forceDeletion: false,
      });
      state = replaceVm(state, run.runId, vm, r.detail, r.capacity);
      if (state.verdict !== undefined) return { next: Phase.Decide, state };
      continue;
    } else if (elapsedMs > ctx.options.bootTimeoutMs && isRunning(view)) {
      // The OS is up but its agent never reported Ready: the image's doing.
      updated = {
        ...vm,
        status: VmStatus.ImageFailed,
        failure: `guest agent not Ready ${Math.round(elapsedMs / 1000)} s after create (timeout ${ctx.options.bootTimeoutMs / 1000} s)`,
      };
    } else if (elapsedMs > ctx.options.bootTimeoutMs * 2) {
      // Not even running: the create itself is stuck in Azure. Replace the VM; never blame the image.
      await ctx.compute.virtualMachines.beginDelete(ctx.options.resourceGroup, vm.name, {
        forceDeletion: false,
      });
      state = replaceVm(state, run.runId, vm, 'VM create did not finish in time', false);
      if (state.verdict !== undefined) return { next: Phase.Decide, state };
      continue;
    }
    if (updated !== undefined) state = withVm(state, updated);
  }
  if (state.vms.some((v) => v.status === VmStatus.Planned)) {
    return { next: Phase.CreateVms, state, afterMs: ctx.options.infraBackoffMs, reason: 'replacing a VM' };
  }
  if (state.vms.some((v) => v.status === VmStatus.Creating)) {
    return {
      next: Phase.AwaitReady,
      state,
      afterMs: ctx.options.pollMs,
      reason: 'waiting for the guest agent',
    };
  }
  return { next: Phase.InspectBootLogs, state };
};
