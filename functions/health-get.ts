import type { HttpHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { checkHealth, type TimerInfo } from '../shared/operator/health';
import type { HttpFunctionDefinition } from './function-definition';
import { operatorResponse } from './operator-response';

/** `GET /api/health`: configuration summary (no secrets), queues, timers, storage and ARM reachability. */
export function healthGet(services: Services, timers: readonly TimerInfo[]): HttpHandler {
  return (_request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    return operatorResponse(log, 'health', () =>
      checkHealth({ ...services, galleryCompute: (id) => services.arm.compute(id), timers }),
    );
  };
}

export function healthGetFunction(services: Services, timers: readonly TimerInfo[]): HttpFunctionDefinition {
  return {
    name: 'health-get',
    trigger: { type: 'http', route: 'health', methods: ['GET'], authLevel: 'function' },
    handler: healthGet(services, timers),
  };
}
