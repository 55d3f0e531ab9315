import { ArmFault, classifyArmError } from '../../azure/arm-error-classification';
import type { PhaseFunction, ValidationContext } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { nicName, validationTags } from '../vm/validation-resources';
import { VmStatus, type ValidationState, type VmRecord } from '../run/validation-state';
import { nicSpec, vmSpec } from '../vm/vm-spec';
import { replaceVm } from './replace-vm';
import { withVm } from '../run/state-helpers';

async function vmExists(ctx: ValidationContext, name: string): Promise<boolean> {
  try {
    await ctx.compute.virtualMachines.get(ctx.options.resourceGroup, name);
    return true;
  } catch (error) {
    if (classifyArmError(error).fault === ArmFault.NotFound) return false;
    throw error;
  }
}

/**
 * Starts NIC + VM creation (begin only: later ticks read the VM's state). On a retried execution the VM
 * may exist already, so it looks first and never sends a second create with new credentials.
 */
export const createVms: PhaseFunction = async (ctx, run) => {
  const { resourceGroup, subscriptionId, subnets } = ctx.options;
  let state: ValidationState = run.state;
  const image = state.image;
  if (image === undefined) throw new Error('CreateVms before Resolve');
  for (const vm of run.state.vms.filter(
    (v) => v.status === VmStatus.Planned || v.status === VmStatus.Creating,
  )) {
    const mayExist = vm.status === VmStatus.Creating || run.phaseAttempt > 1;
    if (mayExist && (await vmExists(ctx, vm.name))) {
      state = withVm(state, {
        ...vm,
        status: VmStatus.Creating,
        createRequestedAt: vm.createRequestedAt ?? ctx.clock().toISOString(),
      });
      continue;
    }
    const subnetId = subnets[vm.region];
    if (subnetId === undefined) throw new Error(`No validation subnet configured for ${vm.region}`);
    const expiresAt = new Date(ctx.clock().getTime() + ctx.options.vmTtlMs);
    const tags = validationTags(run.runId, run.versionId, expiresAt);
    const nic = nicName(vm.name);
    const nicId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Network/networkInterfaces/${nic}`;
    try {
      await ctx.network.networkInterfaces.beginCreateOrUpdate(
        resourceGroup,
        nic,
        nicSpec(vm.region, subnetId, tags),
      );
      const spec = vmSpec({
        region: vm.region,
        size: vm.size,
        securityType: vm.securityType,
        imageVersionId: run.versionId,
        nicId,
        osType: image.osType,
        osState: image.osState,
        computerName: vm.computerName ?? vm.name,
        adminUsername: ctx.options.adminUsername,
        tags,
      });
      await ctx.compute.virtualMachines.beginCreateOrUpdate(resourceGroup, vm.name, spec);
    } catch (error) {
      const fault = classifyArmError(error);
      // 409 PropertyChangeNotAllowed: the VM exists already, created by an execution this one did not
      // see finish (its claim expired mid-request) with its own one-time credentials. Azure never lets
      // a PUT change osProfile, and nothing here needs the credentials: adopt that VM as it is.
      if (fault.code === 'PropertyChangeNotAllowed') {
        ctx.logger.info('Validation VM exists already; adopting it', { vmName: vm.name });
        state = withVm(state, {
          ...vm,
          status: VmStatus.Creating,
          createRequestedAt: vm.createRequestedAt ?? ctx.clock().toISOString(),
        });
        continue;
      }
      // A size ARM refuses for this image (security type, generation) is a catalogue gap: next size.
      const sizeRejected = fault.fault === ArmFault.Rejected && /VM size/i.test(fault.message);
      if (fault.fault === ArmFault.Capacity || fault.fault === ArmFault.Quota || sizeRejected) {
        ctx.logger.warn('Validation VM not allocated; trying another size', {
          vmName: vm.name,
          code: fault.code,
        });
        state = replaceVm(
          state,
          run.runId,
          vm,
          `${fault.code}: ${fault.message}`,
          fault.fault === ArmFault.Capacity,
        );
        if (state.verdict !== undefined) return { next: Phase.Decide, state };
        continue;
      }
      throw error;
    }
    const created: VmRecord = {
      ...vm,
      status: VmStatus.Creating,
      createRequestedAt: ctx.clock().toISOString(),
    };
    state = withVm(state, created);
  }
  if (state.vms.some((v) => v.status === VmStatus.Planned)) {
    return {
      next: Phase.CreateVms,
      state,
      afterMs: ctx.options.infraBackoffMs,
      reason: 'retrying on another size',
    };
  }
  return { next: Phase.AwaitReady, state, afterMs: ctx.options.pollMs, reason: 'VMs are being created' };
};
