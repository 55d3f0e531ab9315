import { ArmError, notFound } from '../arm-error';
import type { Route } from '../router';
import { list, ok, str, requireResourceGroup, scopeOf, view } from './common';

const DISKS =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/disks';
const DISK_TYPE = 'Microsoft.Compute/disks';

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
      const op = ctx.sim.lro.run(
        scopeOf(ctx, 'Microsoft.Compute', 'diskOperations', disk.location ?? 'eastus'),
        5,
        ctx.fault,
        () => {
          ctx.sim.store.delete(id);
          return { ok: true };
        },
      );
      return { status: 202, headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, true) };
    },
  },
];
