import { ArmError, notFound } from '../arm-error';
import type { Route } from '../router';
import { list, ok, str, requireResourceGroup, view } from './common';
import { accepted, runResourceLro, type LroHome } from './resource-lro';

const DISKS =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/disks';
const DISK_TYPE = 'Microsoft.Compute/disks';
/** Disk operations are polled under Microsoft.Compute's diskOperations. */
const DISK_LRO: LroHome = { provider: 'Microsoft.Compute', collection: 'diskOperations' };

/** Managed disks: what a VM leaves behind when its OS disk's deleteOption is Detach. */
export const diskRoutes: Route[] = [
  {
    method: 'GET',
    template: `${DISKS}/{diskName}`,
    operation: `${DISK_TYPE}/read`,
    handler: (ctx) => {
      const id = `/subscriptions/${ctx.params.subscriptionId!}/resourceGroups/${ctx.params.resourceGroupName!}/providers/Microsoft.Compute/disks/${ctx.params.diskName!}`;
      const disk = ctx.sim.store.get(id);
      if (!disk) throw notFound(DISK_TYPE, ctx.params.diskName!, ctx.params.resourceGroupName!);
      return ok(view(disk));
    },
  },
  {
    method: 'GET',
    template: DISKS,
    operation: `${DISK_TYPE}/read`,
    handler: (ctx) => {
      const rg = requireResourceGroup(ctx);
      return list(ctx.sim.store.children(`${rg}/providers/Microsoft.Compute`, 'disks').map(view));
    },
  },
  {
    method: 'DELETE',
    template: `${DISKS}/{diskName}`,
    operation: `${DISK_TYPE}/delete`,
    handler: (ctx) => {
      const id = `/subscriptions/${ctx.params.subscriptionId!}/resourceGroups/${ctx.params.resourceGroupName!}/providers/Microsoft.Compute/disks/${ctx.params.diskName!}`;
      const disk = ctx.sim.store.get(id);
      if (!disk) return { status: 204 };
      if (disk.extra?.managedBy !== undefined) {
        throw new ArmError(
          409,
          'OperationNotAllowed',
          `Disk ${disk.name} is attached to VM ${str(disk.extra.managedBy)}.`,
        );
      }
      const op = runResourceLro(ctx, DISK_LRO, disk, 5, () => ctx.sim.store.delete(id));
      return accepted(ctx, op);
    },
  },
];
