import { compareIdentities } from '../guest/identity-comparison';
import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { withChecks } from '../run/state-helpers';

/** Generalized images must give each VM its own host keys, machine-id or SID. */
export const compareIdentity: PhaseFunction = (_ctx, run) => {
  const image = run.state.image;
  if (image === undefined) throw new Error('CompareIdentities before Resolve');
  const reported = run.state.vms.flatMap((vm) =>
    vm.report === undefined ? [] : [{ vmName: vm.name, region: vm.region, report: vm.report }],
  );
  const checks = compareIdentities(reported, image.osState);
  return Promise.resolve({ next: Phase.CompareInventory, state: withChecks(run.state, checks) });
};
