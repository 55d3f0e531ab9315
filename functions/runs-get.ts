import type { HttpHandler } from '@azure/functions';
import { parseImageVersionId, ResourceIdError } from '../shared/arm/resource-id';
import type { Services } from '../shared/app/services';
import type { HttpFunctionDefinition } from './function-definition';

/** `GET /api/runs?versionId=<image version id>`: every attempt recorded for that version. */
export function runsGet(services: Services): HttpHandler {
  return async (request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    const versionId = request.query.get('versionId') ?? '';
    let version;
    try {
      version = parseImageVersionId(versionId);
    } catch (error) {
      if (!(error instanceof ResourceIdError)) throw error;
      log.warn('Rejected runs query', { status: 400, reason: error.message });
      return { status: 400, jsonBody: { error: error.message } };
    }
    const runs = await services.ledger.listAttempts(version);
    return {
      status: 200,
      jsonBody: { runs: runs.map(({ etag: _etag, ...run }) => run) },
    };
  };
}

export function runsGetFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'runs-get',
    trigger: { type: 'http', route: 'runs', methods: ['GET'], authLevel: 'function' },
    handler: runsGet(services),
  };
}
