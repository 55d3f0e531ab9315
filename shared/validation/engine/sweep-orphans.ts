import type { EngineDeps } from './reconcile-run';
import { PURPOSE_VALUE, TAGS } from '../vm/validation-resources';

/**
 * Orphan sweeper: deletes validation VMs and NICs (by their purpose tag, in the validation resource
 * group only) whose expiry tag has passed. A healthy run deletes its own long before; this catches
 * runs that were lost for good.
 */
export async function sweepOrphans(deps: EngineDeps): Promise<{ vms: number; nics: number }> {
  const rg = deps.options.resourceGroup;
  const now = deps.clock().toISOString();
  const expired = (tags: Record<string, string> | undefined): boolean =>
    tags?.[TAGS.purpose] === PURPOSE_VALUE &&
    (tags[TAGS.expiresAt] ?? '') !== '' &&
    tags[TAGS.expiresAt]! < now;
  let vms = 0;
  let nics = 0;
  for await (const vm of deps.compute.virtualMachines.list(rg)) {
    if (vm.name === undefined || !expired(vm.tags) || vm.provisioningState === 'Deleting') continue;
    deps.logger.warn('Deleting expired validation VM', {
      vmName: vm.name,
      expiresAt: vm.tags?.[TAGS.expiresAt],
    });
    await deps.compute.virtualMachines.beginDelete(rg, vm.name, { forceDeletion: false });
    vms++;
  }
  for await (const nic of deps.network.networkInterfaces.list(rg)) {
    if (nic.name === undefined || !expired(nic.tags) || nic.virtualMachine !== undefined) continue;
    if (nic.provisioningState === 'Deleting') continue;
    deps.logger.warn('Deleting expired validation NIC', { nicName: nic.name });
    await deps.network.networkInterfaces.beginDelete(rg, nic.name);
    nics++;
  }
  return { vms, nics };
}
