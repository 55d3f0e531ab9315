import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import type { WebhookSender } from '../shared/events/sender-token';
import type { Logger } from '../shared/logging/logger';
import type { Services } from '../shared/app/services';

/**
 * With Entra authentication configured, the response refusing a sender whose bearer token does not
 * verify (401, or 503 when the signing keys cannot be read); undefined when the request may go on.
 * The token never reaches a log line or a response, only the reason.
 */
export async function refuseUnverifiedSender(
  services: Services,
  request: HttpRequest,
  sender: WebhookSender,
  log: Logger,
): Promise<HttpResponseInit | undefined> {
  if (services.senders === undefined) return undefined;
  const check = await services.senders.verify(request.headers.get('authorization'), sender);
  if (check.ok) {
    log.debug('Webhook sender verified', { sender, appId: check.appId });
    return undefined;
  }
  log.warn('Rejected webhook caller', { status: check.status, sender, reason: check.reason });
  return {
    status: check.status,
    jsonBody: { error: check.status === 401 ? `unauthorized: ${check.reason}` : check.reason },
    ...(check.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {}),
  };
}
