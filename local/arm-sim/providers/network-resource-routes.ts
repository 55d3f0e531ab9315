import type { ArmResource } from '../resource-store';
import type { RequestContext, Route } from '../router';
import { list, ok, requireResourceGroup } from './common';
import { NET, netId, acceptDelete, present, need } from './network-common';

/** The resource group-level Microsoft.Network collections the simulator serves. */
export type NetworkCollection = 'virtualNetworks' | 'networkSecurityGroups' | 'networkInterfaces';

/** The resource `{name}` addresses in `collection`, or ARM's NotFound. */
export const needNetworkResource = (
  ctx: RequestContext,
  collection: NetworkCollection,
  type: string,
): ArmResource => need(ctx, netId(ctx, collection, ctx.params.name!), type, ctx.params.name!);

/**
 * PUT, GET, DELETE and list routes of one top-level network resource. Only the PUT (and what blocks a
 * DELETE) differs between virtual networks, NSGs and NICs, so the rest is written once here; the
 * route order is the one each provider listed by hand.
 */
export function networkResourceRoutes(
  collection: NetworkCollection,
  type: string,
  write: Route['handler'],
  refuseDelete?: (resource: ArmResource) => void,
): Route[] {
  const one = `${NET}/${collection}/{name}`;
  return [
    { method: 'PUT', template: one, operation: `${type}/write`, handler: write },
    {
      method: 'GET',
      template: one,
      operation: `${type}/read`,
      handler: (ctx) => ok(present(ctx, needNetworkResource(ctx, collection, type))),
    },
    {
      method: 'DELETE',
      template: one,
      operation: `${type}/delete`,
      handler: (ctx) => {
        const resource = ctx.sim.store.get(netId(ctx, collection, ctx.params.name!));
        if (!resource) return { status: 204 };
        refuseDelete?.(resource);
        return acceptDelete(ctx, resource);
      },
    },
    {
      method: 'GET',
      template: `${NET}/${collection}`,
      operation: `${type}/read`,
      handler: (ctx) => {
        const rg = requireResourceGroup(ctx);
        return list(
          ctx.sim.store.children(`${rg}/providers/Microsoft.Network`, collection).map((r) => present(ctx, r)),
        );
      },
    },
  ];
}
