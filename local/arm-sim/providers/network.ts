import type { Route } from '../router';
import { networkInterfaceRoutes } from './network-interfaces';
import { networkSecurityGroupRoutes } from './network-security-groups';
import { virtualNetworkRoutes } from './virtual-networks';

/** Microsoft.Network: virtual networks and subnets, network security groups, network interfaces. */
export const networkRoutes: Route[] = [
  ...virtualNetworkRoutes,
  ...networkSecurityGroupRoutes,
  ...networkInterfaceRoutes,
];
