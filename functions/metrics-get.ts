import type { HttpHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import type { HttpFunctionDefinition } from './function-definition';
import { operatorResponse } from './operator-response';

/** `GET /api/metrics`: this instance's metrics since it started (the same ones Application Insights gets). */
export function metricsGet(services: Services): HttpHandler {
  return (_request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    return operatorResponse(log, 'metrics', () => services.telemetry.snapshot());
  };
}

export function metricsGetFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'metrics-get',
    trigger: { type: 'http', route: 'metrics', methods: ['GET'], authLevel: 'function' },
    handler: metricsGet(services),
  };
}
