import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { VmStatus, type ValidationState, type VmRecord } from '../run/validation-state';
import { vmName } from '../vm/validation-resources';
import { compatibleSizes } from '../vm/vm-size-selection';
import { inconclusive } from '../run/state-helpers';

/** Record for VM `slot` at size attempt `attempt`, on the cheapest size not yet excluded there. */
export function plannedVm(
  state: ValidationState,
  runId: string,
  slot: number,
  region: string,
  attempt: number,
): VmRecord | undefined {
  if (state.image === undefined) return undefined;
  const choice = compatibleSizes(state.image, state.excludedSizes[region] ?? [])[0];
  if (choice === undefined) return undefined;
  const name = vmName(runId, slot, attempt);
  return {
    slot,
    attempt,
    name,
    region,
    size: choice.size,
    securityType: choice.securityType,
    computerName: state.image.osState === 'Generalized' ? name : undefined,
    status: VmStatus.Planned,
  };
}

/**
 * One VM per tested region. A generalized image tested in one region gets two VMs there, because the
 * identity check needs two machines booted from the same version.
 */
export const planVms: PhaseFunction = (_ctx, run) => {
  const regions = run.state.regions ?? [];
  const generalized = run.state.image?.osState === 'Generalized';
  const placements = generalized && regions.length === 1 ? [regions[0]!, regions[0]!] : regions.slice(0, 10);
  const vms: VmRecord[] = [];
  for (const [slot, region] of placements.entries()) {
    const vm = plannedVm(run.state, run.runId, slot, region, 0);
    if (vm === undefined) {
      const state = inconclusive(run.state, `no VM size in the catalogue fits this image in ${region}`);
      return Promise.resolve({ next: Phase.Decide, state });
    }
    vms.push(vm);
  }
  return Promise.resolve({ next: Phase.AcquireSlots, state: { ...run.state, vms } });
};
