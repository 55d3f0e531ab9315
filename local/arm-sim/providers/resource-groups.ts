import { resourceGroupNotFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { Route } from '../router';
import { bodyOf, list, ok, requireLocation, rgId, tagsOf, view } from './common';

const RG = '/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}';

/** Resource groups and the generic `resources` listing (used to find resources by tag). */
export const resourceGroupRoutes: Route[] = [
  {
    method: 'PUT',
    template: RG,
    operation: 'Microsoft.Resources/subscriptions/resourceGroups/write',
    handler: (ctx) => {
      const body = bodyOf(ctx);
      const id = rgId(ctx.params.subscriptionId!, ctx.params.resourceGroupName!);
      const existed = ctx.sim.store.get(id);
      const tags = tagsOf(body);
      const group = ctx.sim.store.put({
        id: existed?.id ?? id,
        name: existed?.name ?? ctx.params.resourceGroupName!,
        type: 'Microsoft.Resources/resourceGroups',
        location: requireLocation(body),
        ...(tags ? { tags } : {}),
        properties: { provisioningState: 'Succeeded' },
      });
      return { status: existed ? 200 : 201, body: view(group) };
    },
  },
  {
    method: 'GET',
    template: RG,
    operation: 'Microsoft.Resources/subscriptions/resourceGroups/read',
    handler: (ctx) => {
      const group = ctx.sim.store.get(rgId(ctx.params.subscriptionId!, ctx.params.resourceGroupName!));
      if (!group) throw resourceGroupNotFound(ctx.params.resourceGroupName!);
      return ok(view(group));
    },
  },
  {
    method: 'DELETE',
    template: RG,
    operation: 'Microsoft.Resources/subscriptions/resourceGroups/delete',
    handler: (ctx) => {
      const id = rgId(ctx.params.subscriptionId!, ctx.params.resourceGroupName!);
      if (!ctx.sim.store.has(id)) return { status: 204 };
      for (const [key, vm] of [...ctx.sim.vms.entries()]) {
        if (!key.startsWith(`${id.toLowerCase()}/`)) continue;
        ctx.sim.vms.delete(key);
        void vm.linux?.dispose();
      }
      ctx.sim.store.delete(id);
      return { status: 200 };
    },
  },
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/resourcegroups',
    operation: 'Microsoft.Resources/subscriptions/resourceGroups/read',
    handler: (ctx) =>
      list(
        ctx.sim.store
          .all()
          .map((s) => s.resource)
          .filter((r) => r.type === 'Microsoft.Resources/resourceGroups')
          .map(view),
      ),
  },
  {
    method: 'GET',
    template: '/subscriptions/{subscriptionId}/resources',
    operation: 'Microsoft.Resources/subscriptions/resources/read',
    handler: (ctx) =>
      list(
        filterResources(
          ctx.sim.store.all().map((s) => s.resource),
          `/subscriptions/${ctx.params.subscriptionId!}/`,
          ctx.query.get('$filter'),
        ),
      ),
  },
  {
    method: 'GET',
    template: `${RG}/resources`,
    operation: 'Microsoft.Resources/subscriptions/resourceGroups/resources/read',
    handler: (ctx) =>
      list(
        filterResources(
          ctx.sim.store.all().map((s) => s.resource),
          `${rgId(ctx.params.subscriptionId!, ctx.params.resourceGroupName!)}/`,
          ctx.query.get('$filter'),
        ),
      ),
  },
];

/** Supports the filters ARM's generic listing supports that matter here: tagName/tagValue, resourceType. */
function filterResources(
  all: ArmResource[],
  prefix: string,
  filter: string | null,
): Record<string, unknown>[] {
  const tagName = /tagName eq '([^']*)'/i.exec(filter ?? '')?.[1];
  const tagValue = /tagValue eq '([^']*)'/i.exec(filter ?? '')?.[1];
  const type = /resourceType eq '([^']*)'/i.exec(filter ?? '')?.[1];
  return all
    .filter((r) => r.id.toLowerCase().startsWith(prefix.toLowerCase()))
    .filter((r) => r.type !== 'Microsoft.Resources/resourceGroups' && !r.type.endsWith('/subnets'))
    .filter((r) => type === undefined || r.type.toLowerCase() === type.toLowerCase())
    .filter((r) => {
      if (tagName === undefined) return true;
      const match = Object.entries(r.tags ?? {}).find(([k]) => k.toLowerCase() === tagName.toLowerCase());
      return match !== undefined && (tagValue === undefined || match[1] === tagValue);
    })
    .map((r) => ({ id: r.id, name: r.name, type: r.type, location: r.location, tags: r.tags ?? {} }));
}
