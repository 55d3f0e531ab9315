/** Shared by the Microsoft.Network routes: ids, references, LRO answers. */
import { randomUUID } from 'node:crypto';
import { ArmError, notFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { HandlerResult, RequestContext } from '../router';
import { isObject, view, type Json } from './common';
import { accepted, runResourceLro, writeAccepted, type LroHome } from './resource-lro';

export const NET =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network';
export const T = {
  vnet: 'Microsoft.Network/virtualNetworks',
  subnet: 'Microsoft.Network/virtualNetworks/subnets',
  nsg: 'Microsoft.Network/networkSecurityGroups',
  nic: 'Microsoft.Network/networkInterfaces',
} as const;
export const WRITE_SECONDS = 2;
const NETWORK_LRO: LroHome = { provider: 'Microsoft.Network', collection: 'operations' };

export const netId = (ctx: RequestContext, collection: string, name: string): string =>
  `/subscriptions/${ctx.params.subscriptionId!}/resourceGroups/${ctx.params.resourceGroupName!}/providers/Microsoft.Network/${collection}/${name}`;

/** Network writes answer 201/200 with provisioningState Updating and an Azure-AsyncOperation to poll. */
export function acceptWrite(ctx: RequestContext, resource: ArmResource, created: boolean): HandlerResult {
  resource.properties.provisioningState = 'Updating';
  const op = runResourceLro(
    ctx,
    NETWORK_LRO,
    resource,
    WRITE_SECONDS,
    () => (resource.properties.provisioningState = 'Succeeded'),
    true,
  );
  return writeAccepted(ctx, op, created, present(ctx, resource));
}

export function acceptDelete(ctx: RequestContext, resource: ArmResource, onDone?: () => void): HandlerResult {
  resource.properties.provisioningState = 'Deleting';
  const op = runResourceLro(ctx, NETWORK_LRO, resource, WRITE_SECONDS, () => {
    ctx.sim.store.delete(resource.id);
    onDone?.();
  });
  return accepted(ctx, op);
}

/** A VNet is returned with its subnets inline, as ARM does. */
export function present(ctx: RequestContext, resource: ArmResource): Json {
  const out = view(resource);
  if (resource.type === T.vnet) {
    out.properties = {
      ...resource.properties,
      subnets: ctx.sim.store.children(resource.id, 'subnets').map(view),
    };
  }
  return out;
}

export function need(ctx: RequestContext, id: string, type: string, name: string): ArmResource {
  const found = ctx.sim.store.get(id);
  if (!found) throw notFound(type, name, ctx.params.resourceGroupName!);
  return found;
}

export function referenced(ctx: RequestContext, ref: unknown, owner: string): ArmResource | undefined {
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

export function putSubnet(
  ctx: RequestContext,
  vnet: ArmResource,
  name: string,
  properties: Json,
): ArmResource {
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
