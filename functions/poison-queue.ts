import type { HttpHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { OperatorInputError } from '../shared/operator/operator-errors';
import { listPoison, redrivePoison } from '../shared/operator/poison-queue';
import type { HttpFunctionDefinition } from './function-definition';
import { readBodyText } from './http-body';
import { operatorPrincipal } from './client-principal';
import { operatorResponse } from './operator-response';

const MAX_BODY = 16 * 1024;

/** `GET /api/poison`: depth of gg-runs-poison and the runs its first messages belong to. */
export function poisonListFunction(services: Services): HttpFunctionDefinition {
  const handler: HttpHandler = (_request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    return operatorResponse(log, 'poison list', () => listPoison(services));
  };
  return {
    name: 'poison-list',
    trigger: { type: 'http', route: 'poison', methods: ['GET'], authLevel: 'function' },
    handler,
  };
}

/**
 * `POST /api/poison/redrive` {reason, messageId?} (admin key and a verified operator, as for release):
 * puts poisoned run keys back on gg-runs (one message, or all of them) and records who and why on
 * each version.
 */
export function poisonRedriveFunction(services: Services): HttpFunctionDefinition {
  const handler: HttpHandler = async (request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    const who = operatorPrincipal(request, services.config);
    if ('error' in who) {
      log.warn('Refused poison redrive request', { status: who.status, reason: who.error });
      return { status: who.status, jsonBody: { error: who.error } };
    }
    return operatorResponse(log, 'poison redrive', async () => {
      const text = await readBodyText(request, MAX_BODY);
      if (text === undefined) throw new OperatorInputError('body too large');
      let body: Record<string, unknown>;
      try {
        body = (JSON.parse(text === '' ? '{}' : text) ?? {}) as Record<string, unknown>;
      } catch {
        throw new OperatorInputError('body is not JSON');
      }
      const reason = typeof body.reason === 'string' ? body.reason.trim() : '';
      if (reason === '') throw new OperatorInputError('reason is required');
      // Like release: only the principal App Service authentication verified is recorded.
      const requestedBy = `${who.principal.name} (${who.principal.objectId})`;
      const messageId =
        typeof body.messageId === 'string' && body.messageId.trim() !== ''
          ? body.messageId.trim()
          : undefined;
      return redrivePoison(services, { messageId, reason, requestedBy, requestId: context.invocationId });
    });
  };
  return {
    name: 'poison-redrive',
    trigger: { type: 'http', route: 'poison/redrive', methods: ['POST'], authLevel: 'admin' },
    handler,
  };
}
