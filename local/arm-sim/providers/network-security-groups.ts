import { randomUUID } from 'node:crypto';
import type { Route } from '../router';
import { bodyOf, propertiesOf, requireResourceGroup, putIdentity } from './common';

import { T, netId, acceptWrite } from './network-common';
import { networkResourceRoutes } from './network-resource-routes';

const DEFAULT_NSG_RULES = [
  ['AllowVnetInBound', 65000, 'Inbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'],
  ['AllowAzureLoadBalancerInBound', 65001, 'Inbound', 'Allow', 'AzureLoadBalancer', '*'],
  ['DenyAllInBound', 65500, 'Inbound', 'Deny', '*', '*'],
  ['AllowVnetOutBound', 65000, 'Outbound', 'Allow', 'VirtualNetwork', 'VirtualNetwork'],
  ['AllowInternetOutBound', 65001, 'Outbound', 'Allow', '*', 'Internet'],
  ['DenyAllOutBound', 65500, 'Outbound', 'Deny', '*', '*'],
] as const;

export const networkSecurityGroupRoutes: Route[] = networkResourceRoutes(
  'networkSecurityGroups',
  T.nsg,
  (ctx) => {
    requireResourceGroup(ctx);
    const body = bodyOf(ctx);
    const id = netId(ctx, 'networkSecurityGroups', ctx.params.name!);
    const existing = ctx.sim.store.get(id);
    const p = propertiesOf(body);
    const nsg = ctx.sim.store.put({
      ...putIdentity(body, existing, id, ctx.params.name!, T.nsg),
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
);
