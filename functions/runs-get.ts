import type { HttpHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { listRuns } from '../shared/operator/list-runs';
import type { HttpFunctionDefinition } from './function-definition';
import { operatorResponse } from './operator-response';

const FILTERS = [
  'state',
  'verdict',
  'gallery',
  'image',
  'since',
  'limit',
  'continuationToken',
  'ref',
] as const;

/**
 * `GET /api/runs?state=&verdict=&gallery=&image=&since=&limit=&continuationToken=`: runs newest first,
 * a page at a time; `?ref=<image/version | version id | run id>` (or `versionId=`): one version's attempts.
 */
export function runsGet(services: Services): HttpHandler {
  return (request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    const query = Object.fromEntries(
      FILTERS.flatMap((name) => {
        const value = request.query.get(name) ?? (name === 'ref' ? request.query.get('versionId') : null);
        return value === null ? [] : [[name, value]];
      }),
    );
    return operatorResponse(log, 'runs list', () => listRuns(services, query));
  };
}

export function runsGetFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'runs-get',
    trigger: { type: 'http', route: 'runs', methods: ['GET'], authLevel: 'function' },
    handler: runsGet(services),
  };
}
