import { eventGridWrite, versionIdOf } from '../support/event-payloads';
import { startLocalStack, type LocalStack } from '../support/local-stack';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack.close();
});

describe('storage outage', () => {
  it('answers 503 (so Event Grid retries) within its 30 s window when Table Storage is unreachable', async () => {
    const healthy = await stack.post('events/eventgrid', eventGridWrite({ versionId: versionIdOf('8.0.0') }));
    expect(healthy.status).toBe(200);

    await stack.azurite.close();
    const started = Date.now();
    const response = await stack.post(
      'events/eventgrid',
      eventGridWrite({ versionId: versionIdOf('8.0.1') }),
    );

    expect(response.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(stack.logs.some((l) => l.level === 'error' && /Storage unavailable/.test(l.message))).toBe(true);
  });
});
