import type { ValidationState, VmRecord } from '../run/validation-state';
import { plannedVm } from './plan-vms';
import { inconclusive, withVm } from '../run/state-helpers';

/**
 * An infrastructure fault (capacity, SKU, quota, an internal error) hit one VM: give that VM up (CleanUp
 * still confirms it is gone) and plan a replacement under a new deterministic name, on the next
 * cheapest size when the size itself was the problem. Never a verdict on the image.
 */
export function replaceVm(
  state: ValidationState,
  runId: string,
  vm: VmRecord,
  reason: string,
  excludeSize: boolean,
): ValidationState {
  const excluded = excludeSize
    ? { ...state.excludedSizes, [vm.region]: [...(state.excludedSizes[vm.region] ?? []), vm.size] }
    : state.excludedSizes;
  let next: ValidationState = {
    ...state,
    excludedSizes: excluded,
    // Even a VM whose create was refused may have left its NIC behind.
    retiredVms: [...state.retiredVms, { name: vm.name, region: vm.region }],
    infraFaults: state.infraFaults + 1,
    lastInfraFault: reason.slice(0, 300),
  };
  const replacement =
    vm.attempt < 25 ? plannedVm(next, runId, vm.slot, vm.region, vm.attempt + 1) : undefined;
  if (replacement === undefined) {
    return inconclusive(next, `no VM could be allocated in ${vm.region}: ${reason.slice(0, 200)}`);
  }
  next = withVm(next, replacement);
  return next;
}
