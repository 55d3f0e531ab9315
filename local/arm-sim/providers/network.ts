import { randomUUID } from 'node:crypto';
import { ArmError, notFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { HandlerResult, RequestContext, Route } from '../router';
import {
  bodyOf,
  isObject,
  list,
  ok,
  propertiesOf,
  requireLocation,
  requireResourceGroup,
  scopeOf,
  tagsOf,
  view,
  type Json,
} from './common';

const NET = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network';
const T = {
  vnet: 'Microsoft.Network/virtualNetworks',
  subnet: 'Microsoft.Network/virtualNetworks/subnets',
  nsg: 'Microsoft.Network/networkSecurityGroups',
  nic: 'Microsoft.Network/networkInterfaces',
} as const;
const WRITE_SECONDS = 2;

const netId = (ctx: RequestContext, collection: string, name: string): string =>
  `/subscriptions/${ctx.params.subscriptionId!}/resourceGroups/${ctx.params.resourceGroupName!}/providers/Microsoft.Network/${collection}/${name}`;

/** Network writes answer 201/200 with provisioningState Updating and an Azure-AsyncOperation to poll. */
function acceptWrite(ctx: RequestContext, resource: ArmResource, created: boolean): HandlerResult {
  resource.properties.provisioningState = 'Updating';
  const op = ctx.sim.lro.run(
    scopeOf(ctx, 'Microsoft.Network', 'operations', resource.location ?? 'eastus'),
    WRITE_SECONDS,
    ctx.fault,
    () => {
      resource.properties.provisioningState = 'Succeeded';
      return { ok: true };
    },
    () => (resource.properties.provisioningState = 'Failed'),
  );
  return {
    status: created ? 201 : 200,
    body: present(ctx, resource),
    headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, false),
  };
}

function acceptDelete(ctx: RequestContext, resource: ArmResource, onDone?: () => void): HandlerResult {
  resource.properties.provisioningState = 'Deleting';
  const op = ctx.sim.lro.run(
    scopeOf(ctx, 'Microsoft.Network', 'operations', resource.location ?? 'eastus'),
    WRITE_SECONDS,
    ctx.fault,
    () => {
      ctx.sim.store.delete(resource.id);
      onDone?.();
      return { ok: true };
    },
  );
  return { status: 202, headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, true) };
}

/** A VNet is returned with its subnets inline, as ARM does. */
function present(ctx: RequestContext, resource: ArmResource): Json {
  const out = view(resource);
  if (resource.type === T.vnet) {
    out.properties = {
      ...resource.properties,
      subnets: ctx.sim.store.children(resource.id, 'subnets').map(view),
    };
  }
  return out;
}

function need(ctx: RequestContext, id: string, type: string, name: string): ArmResource {
  const found = ctx.sim.store.get(id);
  if (!found) throw notFound(type, name, ctx.params.resourceGroupName!);
  return found;
}

function referenced(ctx: RequestContext, ref: unknown, owner: string): ArmResource | undefined {
  if (!isObject(ref) || typeof ref.id !== 'string') return undefined;
  const target = ctx.sim.store.get(ref.id);
  if (!target) {
    throw new ArmError(
      400,
      'InvalidResourceReference',
      `Resource ${ref.id} referenced by resource ${owner} was not found. Please make sure that the referenced resource exists, and that both resources are in the same region.`,
    );
  }
  return target;
}

function putSubnet(ctx: RequestContext, vnet: ArmResource, name: string, properties: Json): ArmResource {
  const id = `${vnet.id}/subnets/${name}`;
  const nsg = referenced(ctx, properties.networkSecurityGroup, id);
  if (nsg) ctx.linked(`${T.nsg}/join/action`);
  const existing = ctx.sim.store.get(id);
  return ctx.sim.store.put({
    id: existing?.id ?? id,
    name,
    type: T.subnet,
    properties: {
      ...properties,
      ...(nsg ? { networkSecurityGroup: { id: nsg.id } } : {}),
      provisioningState: 'Succeeded',
    },
    extra: { etag: `W/"${randomUUID()}"` },
  });
}

const vnetRoutes: Route[] = [
  {
    method: 'PUT',
    template: `${NET}/virtualNetworks/{name}`,
    operation: `${T.vnet}/write`,
    handler: (ctx) => {
      requireResourceGroup(ctx);
      const body = bodyOf(ctx);
      const id = netId(ctx, 'virtualNetworks', ctx.params.name!);
      const existing = ctx.sim.store.get(id);
      const { subnets, ...properties } = propertiesOf(body);
      const vnet = ctx.sim.store.put({
        id: existing?.id ?? id,
        name: existing?.name ?? ctx.params.name!,
        type: T.vnet,
        location: requireLocation(body),
        tags: tagsOf(body) ?? existing?.tags ?? {},
        properties: { ...properties, resourceGuid: existing?.properties.resourceGuid ?? randomUUID() },
        extra: { etag: `W/"${randomUUID()}"` },
      });
      if (Array.isArray(subnets)) {
        for (const s of subnets)
          if (isObject(s) && typeof s.name === 'string') putSubnet(ctx, vnet, s.name, propertiesOf(s));
      }
      return acceptWrite(ctx, vnet, !existing);
    },
  },
  {
    method: 'GET',
    template: `${NET}/virtualNetworks/{name}`,
    operation: `${T.vnet}/read`,
    handler: (ctx) =>
      ok(present(ctx, need(ctx, netId(ctx, 'virtualNetworks', ctx.params.name!), T.vnet, ctx.params.name!))),
  },
  {
    method: 'DELETE',
    template: `${NET}/virtualNetworks/{name}`,
    operation: `${T.vnet}/delete`,
    handler: (ctx) => {
      const vnet = ctx.sim.store.get(netId(ctx, 'virtualNetworks', ctx.params.name!));
      return vnet ? acceptDelete(ctx, vnet) : { status: 204 };
    },
  },
  {
    method: 'GET',
    template: `${NET}/virtualNetworks`,
    operation: `${T.vnet}/read`,
    handler: (ctx) => {
      const rg = requireResourceGroup(ctx);
      return list(
        ctx.sim.store
          .children(`${rg}/providers/Microsoft.Network`, 'virtualNetworks')
          .map((v) => present(ctx, v)),
      );
    },
  },
  {
    method: 'PUT',
    template: `${NET}/virtualNetworks/{name}/subnets/{subnetName}`,
    operation: `${T.subnet}/write`,
    handler: (ctx) => {
      const vnet = need(ctx, netId(ctx, 'virtualNetworks', ctx.params.name!), T.vnet, ctx.params.name!);
      const existed = ctx.sim.store.has(`${vnet.id}/subnets/${ctx.params.subnetName!}`);
      const subnet = putSubnet(ctx, vnet, ctx.params.subnetName!, propertiesOf(bodyOf(ctx)));
      return acceptWrite(ctx, subnet, !existed);
    },
  },
  {
    method: 'GET',
    template: `${NET}/virtualNetworks/{name}/subnets/{subnetName}`,
    operation: `${T.subnet}/read`,
    handler: (ctx) =>
      ok(
        view(
          need(
            ctx,
            `${netId(ctx, 'virtualNetworks', ctx.params.name!)}/subnets/${ctx.params.subnetName!}`,
            T.subnet,
            `${ctx.params.name!}/${ctx.params.subnetName!}`,
          ),
        ),
      ),
  },
  {
    method: 'DELETE',
    template: `${NET}/virtualNetworks/{name}/subnets/{subnetName}`,
    operation: `${T.subnet}/delete`,
    handler: (ctx) => {
      const subnet = ctx.sim.store.get(
        `${netId(ctx, 'virtualNetworks', ctx.params.name!)}/subnets/${ctx.params.subnetName!}`,
      );
      return subnet ? acceptDelete(ctx, subnet) : { status: 204 };
    },
  },
  {
    method: 'GET',
    template: `${NET}/virtualNetworks/{name}/subnets`,
    operation: `${T.subnet}/read`,
    handler: (ctx) => {
      const vnet = need(ctx, netId(ctx, 'virtualNetworks', ctx.params.name!), T.vnet, ctx.params.name!);
      return list(ctx.sim.store.children(vnet.id, 'subnets').map(view));
    },
  },
];

const DEFAULT_NSG_RULES = [
  ['AllowVnetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'],
  ['AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'],
  ['DenyAllInBound', 65500, 'Inbound', 'Deny', '*', '*'],
  ['AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'],
  ['AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet'],
  ['DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*'],
] as const;

const nsgRoutes: Route[] = [
  {
    method: 'PUT',
    template: `${NET}/networkSecurityGroups/{name}`,
    operation: `${T.nsg}/write`,
    handler: (ctx) => {
      requireResourceGroup(ctx);
      const body = bodyOf(ctx);
      const id = netId(ctx, 'networkSecurityGroups', ctx.params.name!);
      const existing = ctx.sim.store.get(id);
      const p = propertiesOf(body);
      const nsg = ctx.sim.store.put({
        id: existing?.id ?? id,
        name: existing?.name ?? ctx.params.name!,
        type: T.nsg,
        location: requireLocation(body),
        tags: tagsOf(body) ?? existing?.tags ?? {},
        properties: {
          securityRules: Array.isArray(p.securityRules) ? p.securityRules : [],
          defaultSecurityRules: DEFAULT_NSG_RULES.map(
            ([name, priority, direction, access, source, destination]) => ({
              id: `${id}/defaultSecurityRules/${name}`,
              name,
              properties: {
                protocol: '*',
                sourcePortRange: '*',
                destinationPortRange: '*',
                sourceAddressPrefix: source,
                destinationAddressPrefix: destination,
                access,
                priority,
                direction,
              },
            }),
          ),
          resourceGuid: existing?.properties.resourceGuid ?? randomUUID(),
        },
        extra: { etag: `W/"${randomUUID()}"` },
      });
      return acceptWrite(ctx, nsg, !existing);
    },
  },
  {
    method: 'GET',
    template: `${NET}/networkSecurityGroups/{name}`,
    operation: `${T.nsg}/read`,
    handler: (ctx) =>
      ok(view(need(ctx, netId(ctx, 'networkSecurityGroups', ctx.params.name!), T.nsg, ctx.params.name!))),
  },
  {
    method: 'DELETE',
    template: `${NET}/networkSecurityGroups/{name}`,
    operation: `${T.nsg}/delete`,
    handler: (ctx) => {
      const nsg = ctx.sim.store.get(netId(ctx, 'networkSecurityGroups', ctx.params.name!));
      return nsg ? acceptDelete(ctx, nsg) : { status: 204 };
    },
  },
  {
    method: 'GET',
    template: `${NET}/networkSecurityGroups`,
    operation: `${T.nsg}/read`,
    handler: (ctx) => {
      const rg = requireResourceGroup(ctx);
      return list(
        ctx.sim.store.children(`${rg}/providers/Microsoft.Network`, 'networkSecurityGroups').map(view),
      );
    },
  },
];

let nextIp = 4;

const nicRoutes: Route[] = [
  {
    method: 'PUT',
    template: `${NET}/networkInterfaces/{name}`,
    operation: `${T.nic}/write`,
    handler: (ctx) => {
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
            privateIPAddress:
              cp.privateIPAddress ?? `10.0.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 4}`,
            primary: i === 0,
            provisioningState: 'Succeeded',
          },
        };
      });
      const nsg = referenced(ctx, p.networkSecurityGroup, id);
      if (nsg) ctx.linked(`${T.nsg}/join/action`);
      const nic = ctx.sim.store.put({
        id: existing?.id ?? id,
        name: existing?.name ?? ctx.params.name!,
        type: T.nic,
        location,
        tags: tagsOf(body) ?? existing?.tags ?? {},
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
  },
  {
    method: 'GET',
    template: `${NET}/networkInterfaces/{name}`,
    operation: `${T.nic}/read`,
    handler: (ctx) =>
      ok(view(need(ctx, netId(ctx, 'networkInterfaces', ctx.params.name!), T.nic, ctx.params.name!))),
  },
  {
    method: 'DELETE',
    template: `${NET}/networkInterfaces/{name}`,
    operation: `${T.nic}/delete`,
    handler: (ctx) => {
      const nic = ctx.sim.store.get(netId(ctx, 'networkInterfaces', ctx.params.name!));
      if (!nic) return { status: 204 };
      const vm = nic.properties.virtualMachine;
      if (isObject(vm) && typeof vm.id === 'string') {
        throw new ArmError(
          400,
          'NicInUse',
          `Network Interface ${nic.id} is used by existing resource ${vm.id}. In order to delete the network interface, it must be dissociated from the resource. To learn more, see aka.ms/deletenic.`,
        );
      }
      return acceptDelete(ctx, nic);
    },
  },
  {
    method: 'GET',
    template: `${NET}/networkInterfaces`,
    operation: `${T.nic}/read`,
    handler: (ctx) => {
      const rg = requireResourceGroup(ctx);
      return list(ctx.sim.store.children(`${rg}/providers/Microsoft.Network`, 'networkInterfaces').map(view));
    },
  },
];

export const networkRoutes: Route[] = [...vnetRoutes, ...nsgRoutes, ...nicRoutes];
