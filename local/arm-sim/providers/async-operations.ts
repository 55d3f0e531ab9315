import { ArmError } from '../arm-error';
import { operationStatusBody } from '../lro';
import type { HandlerResult, RequestContext, Route } from '../router';

/** Serves the Azure-AsyncOperation URL (status) and, with monitor=true, the Location URL (result). */
function poll(ctx: RequestContext): HandlerResult {
  const op = ctx.sim.lro.get(ctx.path);
  if (!op) throw new ArmError(404, 'NotFound', `The operation '${ctx.params.operationId!}' was not found.`);
  if (ctx.query.get('monitor') === 'true') {
    if (op.status === 'InProgress')
      return { status: 202, headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, true) };
    if (op.status === 'Failed') return { status: 200, body: { error: op.error } };
    return op.output === undefined ? { status: 204 } : { status: 200, body: op.output };
  }
  const headers =
    op.status === 'InProgress' ? retryAfterOnly(ctx.sim.lro.headers(op, ctx.sim.endpoint, false)) : {};
  return { status: 200, body: operationStatusBody(op), headers };
}

const retryAfterOnly = (h: Record<string, string>): Record<string, string> =>
  h['Retry-After'] === undefined ? {} : { 'Retry-After': h['Retry-After'] };

const LOC = '/subscriptions/{subscriptionId}/providers';
export const asyncOperationRoutes: Route[] = [
  {
    method: 'GET',
    template: `${LOC}/Microsoft.Compute/locations/{location}/operations/{operationId}`,
    operation: 'Microsoft.Compute/locations/operations/read',
    handler: poll,
  },
  {
    method: 'GET',
    template: `${LOC}/Microsoft.Compute/locations/{location}/capsOperations/{operationId}`,
    operation: 'Microsoft.Compute/locations/capsOperations/read',
    handler: poll,
  },
  {
    method: 'GET',
    template: `${LOC}/Microsoft.Network/locations/{location}/operations/{operationId}`,
    operation: 'Microsoft.Network/locations/operations/read',
    handler: poll,
  },
];
