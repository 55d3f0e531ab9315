import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { eventGridWebhook } from '../../../functions/eventgrid-webhook';
import { activityLogWebhook } from '../../../functions/activity-log-webhook';
import { MAX_BODY_BYTES } from '../../../functions/http-body';
import { createLogger } from '../../../shared/logging/logger';
import type { Services } from '../../../shared/app/services';
import { loadFixture } from '../../support/event-payloads';

// These paths answer before any storage access, so services need only a logger.
const lines: string[] = [];
const services = { logger: createLogger({ sink: (_l, line) => lines.push(line) }) } as unknown as Services;
const context = new InvocationContext({ functionName: 'test', logHandler: () => undefined });
const url = 'https://app.azurewebsites.net/api/events/eventgrid';

async function call(
  handler: ReturnType<typeof eventGridWebhook>,
  init: ConstructorParameters<typeof HttpRequest>[0],
): Promise<HttpResponseInit> {
  return await handler(new HttpRequest({ url, ...init }), context);
}

describe('Event Grid webhook handler (as the Functions host calls it)', () => {
  it('refuses a body over 1 MiB with 413 even when the host let it through', async () => {
    const response = await call(eventGridWebhook(services), {
      method: 'POST',
      body: { string: 'x'.repeat(MAX_BODY_BYTES + 1) },
    });
    expect(response.status).toBe(413);
  });

  it('answers the validation handshake without touching storage', async () => {
    const response = await call(eventGridWebhook(services), {
      method: 'POST',
      headers: { 'aeg-event-type': 'SubscriptionValidation' },
      body: { string: JSON.stringify(loadFixture('eventgrid-subscription-validation.json')) },
    });
    expect(response).toMatchObject({
      status: 200,
      jsonBody: { validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' },
    });
  });

  it('answers OPTIONS without WebHook-Request-Origin with 400 and a log line', async () => {
    const before = lines.length;
    const response = await call(eventGridWebhook(services), { method: 'OPTIONS' });
    expect(response.status).toBe(400);
    expect(lines.slice(before).join('\n')).toMatch(/WebHook-Request-Origin/);
  });

  it('answers an alert payload of the wrong schema with 400', async () => {
    const response = await call(activityLogWebhook(services), {
      method: 'POST',
      body: { string: JSON.stringify({ schemaId: 'something-else' }) },
    });
    expect(response.status).toBe(400);
  });
});
