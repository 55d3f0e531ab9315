import { randomUUID } from 'node:crypto';
import type { Route } from '../router';
import {
  bodyOf,
  isObject,
  list,
  ok,
  propertiesOf,
  requireLocation,
  requireResourceGroup,
  tagsOf,
  view,
} from './common';

import { NET, T, netId, acceptWrite, acceptDelete, present, need, putSubnet } from './network-common';

export const virtualNetworkRoutes: Route[] = [
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
