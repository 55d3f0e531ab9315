import type { HttpHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { parseAttempt, showRun } from '../shared/operator/run-detail';
import type { HttpFunctionDefinition } from './function-definition';
import { operatorResponse } from './operator-response';

/** `GET /api/runs/detail?ref=<image/version | version id | run id>[&attempt=n]`: one run in full. */
export function runDetailGet(services: Services): HttpHandler {
  return (request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    return operatorResponse(log, 'run detail', () =>
      showRun(
        services,
        request.query.get('ref') ?? '',
        parseAttempt(request.query.get('attempt') ?? undefined),
      ),
    );
  };
}

export function runDetailGetFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'runs-detail-get',
    trigger: { type: 'http', route: 'runs/detail', methods: ['GET'], authLevel: 'function' },
    handler: runDetailGet(services),
  };
}
