import { ArmError, resourceGroupNotFound } from '../arm-error';
import type { ArmResource } from '../resource-store';
import type { HandlerResult, RequestContext } from '../router';
import type { OperationScope } from '../lro';

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export const rgId = (subscriptionId: string, resourceGroupName: string): string =>
  `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}`;

/** The request body as an object, or ARM's InvalidRequestContent. */
export function bodyOf(ctx: RequestContext): Json {
  if (!isObject(ctx.body)) {
    throw new ArmError(
      400,
      'InvalidRequestContent',
      'The request content was invalid and could not be deserialized.',
    );
  }
  return ctx.body;
}

export function propertiesOf(body: Json): Json {
  return isObject(body.properties) ? body.properties : {};
}

export function requireResourceGroup(ctx: RequestContext): string {
  const sub = ctx.params.subscriptionId!;
  const rg = ctx.params.resourceGroupName!;
  const group = ctx.sim.store.get(rgId(sub, rg));
  if (!group) throw resourceGroupNotFound(rg);
  return group.id;
}

export function requireLocation(body: Json): string {
  if (typeof body.location !== 'string' || body.location.length === 0) {
    throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  }
  return normaliseRegion(body.location);
}

export const normaliseRegion = (name: string): string => name.toLowerCase().replace(/\s+/g, '');

const DISPLAY_NAMES: Record<string, string> = {
  eastus: 'East US',
  eastus2: 'East US 2',
  westus2: 'West US 2',
  westeurope: 'West Europe',
  northeurope: 'North Europe',
  uksouth: 'UK South',
};

/** Gallery responses name regions by display name ("East US"), whatever the request said. */
export const displayRegion = (name: string): string => DISPLAY_NAMES[normaliseRegion(name)] ?? name;

/**
 * The id, name, type, location and tags a top-level PUT stores. A re-PUT keeps the stored id and name
 * (the creating request's casing) and, when the body sends no tags, the stored tags, as ARM does.
 * Location is checked before tags, so a body missing both reports LocationRequired.
 */
export function putIdentity(
  body: Json,
  existing: ArmResource | undefined,
  id: string,
  name: string,
  type: string,
  location: string = requireLocation(body),
): Required<Pick<ArmResource, 'id' | 'name' | 'type' | 'location' | 'tags'>> {
  return {
    id: existing?.id ?? id,
    name: existing?.name ?? name,
    type,
    location,
    tags: tagsOf(body) ?? existing?.tags ?? {},
  };
}

export function tagsOf(body: Json): Record<string, string> | undefined {
  if (body.tags === undefined) return undefined;
  if (!isObject(body.tags) || !Object.values(body.tags).every((v) => typeof v === 'string')) {
    throw new ArmError(400, 'InvalidTag', 'The tags must be an object of string values.');
  }
  return body.tags as Record<string, string>;
}

/** Serialises a stored resource as ARM returns it. */
export function view(resource: ArmResource): Json {
  const out: Json = { id: resource.id, name: resource.name, type: resource.type };
  if (resource.location !== undefined) out.location = resource.location;
  if (resource.tags !== undefined) out.tags = resource.tags;
  Object.assign(out, resource.extra ?? {});
  out.properties = resource.properties;
  return out;
}

export const ok = (body: unknown, headers?: Record<string, string>): HandlerResult => ({
  status: 200,
  body,
  ...(headers ? { headers } : {}),
});

export const list = (items: Json[]): HandlerResult => ok({ value: items });

export function scopeOf(
  ctx: RequestContext,
  provider: OperationScope['provider'],
  collection: OperationScope['collection'],
  location: string,
  resourceId?: string,
): OperationScope {
  return {
    provider,
    collection,
    location,
    subscriptionId: ctx.params.subscriptionId!,
    apiVersion: ctx.query.get('api-version') ?? '',
    ...(resourceId === undefined ? {} : { resourceId }),
  };
}

export const clone = <T>(v: T): T => structuredClone(v);

/** A string property, or `fallback` when absent or not a string. */
export const str = (value: unknown, fallback = ''): string => (typeof value === 'string' ? value : fallback);
