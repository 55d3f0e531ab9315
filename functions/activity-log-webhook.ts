import type { HttpHandler } from '@azure/functions';
import { parseActivityLogAlert } from '../shared/events/activity-log-alert';
import { PayloadError } from '../shared/events/version-signal';
import { PayloadTooLargeError } from '../shared/events/payload-json';
import type { Services } from '../shared/app/services';
import type { HttpFunctionDefinition } from './function-definition';
import { readBodyText } from './http-body';
import { badRequest, ingestResponse, tooLarge } from './ingest-response';
import { refuseUnverifiedSender } from './webhook-sender';

export function activityLogWebhook(services: Services): HttpHandler {
  return async (request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    const refused = await refuseUnverifiedSender(services, request, 'action-group', log);
    if (refused !== undefined) return refused;
    const body = await readBodyText(request);
    if (body === undefined) return tooLarge(log);
    let event;
    try {
      event = parseActivityLogAlert(body);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return tooLarge(log, error.message);
      if (error instanceof PayloadError) return badRequest(log, error.message);
      throw error;
    }
    return ingestResponse(services, log, [event]);
  };
}

export function activityLogWebhookFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'activity-log-webhook',
    trigger: { type: 'http', route: 'events/activity-log', methods: ['POST'], authLevel: 'function' },
    handler: activityLogWebhook(services),
  };
}
