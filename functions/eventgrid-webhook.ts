import type { HttpHandler, HttpRequest, HttpResponseInit } from '@azure/functions';
import { parseEventGridDelivery } from '../shared/events/event-grid-delivery';
import { PayloadError } from '../shared/events/version-signal';
import { PayloadTooLargeError } from '../shared/events/payload-json';
import type { Logger } from '../shared/logging/logger';
import type { Services } from '../shared/app/services';
import type { HttpFunctionDefinition } from './function-definition';
import { readBodyText } from './http-body';
import { badRequest, ingestResponse, tooLarge } from './ingest-response';
import { refuseUnverifiedSender } from './webhook-sender';

/** CloudEvents 1.0 webhook abuse protection: echo the requesting origin back as allowed. */
function cloudEventsHandshake(request: HttpRequest, log: Logger): HttpResponseInit {
  const origin = request.headers.get('webhook-request-origin');
  if (origin === null || origin.trim() === '')
    return badRequest(log, 'OPTIONS without WebHook-Request-Origin');
  log.info('CloudEvents validation handshake answered', { origin });
  return {
    status: 200,
    headers: { 'WebHook-Allowed-Origin': origin, 'WebHook-Allowed-Rate': '*', Allow: 'POST, OPTIONS' },
  };
}

export function eventGridWebhook(services: Services): HttpHandler {
  return async (request, context) => {
    const log = services.logger.child({ invocationId: context.invocationId, function: context.functionName });
    if (request.method === 'OPTIONS') return cloudEventsHandshake(request, log);
    const body = await readBodyText(request);
    if (body === undefined) return tooLarge(log);
    let delivery;
    try {
      delivery = await parseEventGridDelivery(body, request.headers.get('content-type') ?? undefined);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return tooLarge(log, error.message);
      if (error instanceof PayloadError) return badRequest(log, error.message);
      throw error;
    }
    const { validation, events } = delivery;
    // A handshake alone changes nothing and is answered whoever asks (Event Grid requires it "irrespective
    // of the method" that authenticates delivery: learn.microsoft.com/azure/event-grid/security-authentication);
    // events are ingested only from a verified sender.
    if (events.length > 0) {
      const refused = await refuseUnverifiedSender(services, request, 'event-grid', log);
      if (refused !== undefined) return refused;
    }
    if (validation === undefined) return ingestResponse(services, log, events);
    log.info('Event Grid subscription validation answered', { eventId: validation.eventId });
    const handshake = { validationResponse: validation.validationCode };
    if (events.length === 0) return { status: 200, jsonBody: handshake };
    // A batch may carry the handshake and events: both are handled, neither is dropped.
    return ingestResponse(services, log, events, handshake);
  };
}

export function eventGridWebhookFunction(services: Services): HttpFunctionDefinition {
  return {
    name: 'eventgrid-webhook',
    trigger: { type: 'http', route: 'events/eventgrid', methods: ['POST', 'OPTIONS'], authLevel: 'function' },
    handler: eventGridWebhook(services),
  };
}
