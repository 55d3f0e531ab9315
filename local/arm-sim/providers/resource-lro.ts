import type { AsyncOperation, OperationScope } from '../lro';
import type { ArmResource } from '../resource-store';
import type { HandlerResult, RequestContext } from '../router';
import { scopeOf } from './common';

/** Which provider's operation collection a resource's long-running operations are polled under. */
export interface LroHome {
  readonly provider: OperationScope['provider'];
  readonly collection: OperationScope['collection'];
}

/**
 * Starts a long-running operation on `resource`, polled in its own region (eastus when it has none),
 * that calls `done` after `seconds` unless a fault fails or hangs it. Writes pass `markFailed` so a
 * failed operation leaves the resource in provisioningState Failed, as ARM does; deletes do not.
 */
export function runResourceLro(
  ctx: RequestContext,
  home: LroHome,
  resource: ArmResource,
  seconds: number,
  done: () => void,
  markFailed = false,
): AsyncOperation {
  return ctx.sim.lro.run(
    scopeOf(ctx, home.provider, home.collection, resource.location ?? 'eastus', resource.id),
    seconds,
    ctx.fault,
    () => {
      done();
      return { ok: true };
    },
    markFailed ? () => (resource.properties.provisioningState = 'Failed') : undefined,
  );
}

/** A PUT/PATCH answer while its operation runs: 201 or 200, the body, and the Azure-AsyncOperation to poll. */
export const writeAccepted = (
  ctx: RequestContext,
  op: AsyncOperation,
  created: boolean,
  body: unknown,
): HandlerResult => ({
  status: created ? 201 : 200,
  body,
  headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, false),
});

/** A DELETE/POST answer while its operation runs: 202 with Azure-AsyncOperation and Location. */
export const accepted = (ctx: RequestContext, op: AsyncOperation): HandlerResult => ({
  status: 202,
  headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, true),
});
