import { randomUUID } from 'node:crypto';
import type { RequestContext, Route } from '../router';
import { bodyOf, isObject, list, ok, propertiesOf, requireResourceGroup, view, putIdentity } from './common';

import { NET, T, netId, acceptWrite, acceptDelete, need, putSubnet } from './network-common';
import { networkResourceRoutes, needNetworkResource } from './network-resource-routes';

const SUBNET = `${NET}/virtualNetworks/{name}/subnets/{subnetName}`;
const subnetId = (ctx: RequestContext): string =>
  `${netId(ctx, 'virtualNetworks', ctx.params.name!)}/subnets/${ctx.params.subnetName!}`;

export const virtualNetworkRoutes: Route[] = [
  ...networkResourceRoutes('virtualNetworks', T.vnet, (ctx) => {
    requireResourceGroup(ctx);
    const body = bodyOf(ctx);
    const id = netId(ctx, 'virtualNetworks', ctx.params.name!);
    const existing = ctx.sim.store.get(id);
    const { subnets, ...properties } = propertiesOf(body);
    const vnet = ctx.sim.store.put({
      ...putIdentity(body, existing, id, ctx.params.name!, T.vnet),
      properties: { ...properties, resourceGuid: existing?.properties.resourceGuid ?? randomUUID() },
      extra: { etag: `W/"${randomUUID()}"` },
    });
    if (Array.isArray(subnets)) {
      for (const s of subnets)
        if (isObject(s) && typeof s.name === 'string') putSubnet(ctx, vnet, s.name, propertiesOf(s));
    }
    return acceptWrite(ctx, vnet, !existing);
  }),
  {
    method: 'PUT',
    template: SUBNET,
    operation: `${T.subnet}/write`,
    handler: (ctx) => {
      const vnet = needNetworkResource(ctx, 'virtualNetworks', T.vnet);
      const existed = ctx.sim.store.has(`${vnet.id}/subnets/${ctx.params.subnetName!}`);
      const subnet = putSubnet(ctx, vnet, ctx.params.subnetName!, propertiesOf(bodyOf(ctx)));
      return acceptWrite(ctx, subnet, !existed);
    },
  },
  {
    method: 'GET',
    template: SUBNET,
    operation: `${T.subnet}/read`,
    handler: (ctx) =>
      ok(view(need(ctx, subnetId(ctx), T.subnet, `${ctx.params.name!}/${ctx.params.subnetName!}`))),
  },
  {
    method: 'DELETE',
    template: SUBNET,
    operation: `${T.subnet}/delete`,
    handler: (ctx) => {
      const subnet = ctx.sim.store.get(subnetId(ctx));
      return subnet ? acceptDelete(ctx, subnet) : { status: 204 };
    },
  },
  {
    method: 'GET',
    template: `${NET}/virtualNetworks/{name}/subnets`,
    operation: `${T.subnet}/read`,
    handler: (ctx) => {
      const vnet = needNetworkResource(ctx, 'virtualNetworks', T.vnet);
      return list(ctx.sim.store.children(vnet.id, 'subnets').map(view));
    },
  },
];
