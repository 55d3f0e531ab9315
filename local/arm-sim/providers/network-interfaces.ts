import { randomUUID } from 'node:crypto';
import { ArmError } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { Route } from '../router';
import { bodyOf, isObject, propertiesOf, requireLocation, requireResourceGroup, putIdentity } from './common';

import { T, netId, acceptWrite, referenced } from './network-common';
import { networkResourceRoutes } from './network-resource-routes';

let nextIp = 4;

/** A NIC still attached to a VM cannot be deleted (ARM's NicInUse). */
function refuseAttachedNic(nic: ArmResource): void {
  const vm = nic.properties.virtualMachine;
  if (isObject(vm) && typeof vm.id === 'string') {
    throw new ArmError(
      400,
      'NicInUse',
      `Network Interface ${nic.id} is used by existing resource ${vm.id}. In order to delete the network interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic.`,
    );
  }
}

export const networkInterfaceRoutes: Route[] = networkResourceRoutes(
  'networkInterfaces',
  T.nic,
  (ctx) => {
    requireResourceGroup(ctx);
    const body = bodyOf(ctx);
    const location = requireLocation(body);
    const id = netId(ctx, 'networkInterfaces', ctx.params.name!);
    const existing = ctx.sim.store.get(id);
    const p = propertiesOf(body);
    const configs = Array.isArray(p.ipConfigurations) ? p.ipConfigurations.filter(isObject) : [];
    if (configs.length === 0) {
      throw new ArmError(
        400,
        'InvalidRequestFormat',
        'Cannot parse the request. At least one IP configuration is required.',
      );
    }
    const ipConfigurations = configs.map((c, i) => {
      const cp = propertiesOf(c);
      const subnet = referenced(ctx, cp.subnet, id);
      if (!subnet)
        throw new ArmError(
          400,
          'InvalidRequestFormat',
          `Cannot parse the request. Subnet is required for IP configuration ${i}.`,
        );
      ctx.linked(`${T.subnet}/join/action`);
      const vnet = ctx.sim.store.get(subnet.id.replace(/\/subnets\/[^/]+$/i, ''));
      if (vnet?.location !== undefined && vnet.location !== location) {
        throw new ArmError(
          400,
          'InvalidResourceReference',
          `Resource ${subnet.id} referenced by resource ${id} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
        );
      }
      if (referenced(ctx, cp.publicIPAddress, id))
        ctx.linked('Microsoft.Network/publicIPAddresses/join/action');
      const name = typeof c.name === 'string' ? c.name : `ipconfig${i + 1}`;
      return {
        id: `${id}/ipConfigurations/${name}`,
        name,
        properties: {
          ...cp,
          subnet: { id: subnet.id },
          privateIPAllocationMethod: cp.privateIPAllocationMethod ?? 'Dynamic',
          privateIPAddress: cp.privateIPAddress ?? `10.0.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 4}`,
          primary: i === 0,
          provisioningState: 'Succeeded',
        },
      };
    });
    const nsg = referenced(ctx, p.networkSecurityGroup, id);
    if (nsg) ctx.linked(`${T.nsg}/join/action`);
    const nic = ctx.sim.store.put({
      ...putIdentity(body, existing, id, ctx.params.name!, T.nic, location),
      properties: {
        ...p,
        ipConfigurations,
        ...(nsg ? { networkSecurityGroup: { id: nsg.id } } : {}),
        ...(existing?.properties.virtualMachine
          ? { virtualMachine: existing.properties.virtualMachine }
          : {}),
        resourceGuid: existing?.properties.resourceGuid ?? randomUUID(),
      },
      extra: { etag: `W/"${randomUUID()}"` },
    });
    return acceptWrite(ctx, nic, !existing);
  },
  refuseAttachedNic,
);
