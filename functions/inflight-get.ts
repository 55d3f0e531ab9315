import type { HttpHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { inFlight } from '../shared/operator/in-flight';
import type { HttpFunctionDefinition } from './function-definition';
import { operatorResponse } from './operator-response';

/** `GET /api/inflight`: runs by phase, VM slots used / cap per region and subscription, waiters. */
export function inflightGet(services: Services): HttpHandler {
  return (_request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    return operatorResponse(log, 'in-flight view', () => inFlight(services));
  };
}

export function inflightGetFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'inflight-get',
    trigger: { type: 'http', route: 'inflight', methods: ['GET'], authLevel: 'function' },
    handler: inflightGet(services),
  };
}
