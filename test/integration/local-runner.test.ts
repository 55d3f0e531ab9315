import type { HttpRequest, InvocationContext } from '@azure/functions';
import type { FunctionDefinition } from '../../functions/function-definition';
import { functionDefinitions } from '../../functions/definitions';
import { AUDIT_TABLE } from '../../shared/ledger';
import { eventually } from '../support/eventually';
import { startLocalStack, type LocalStack } from '../support/local-stack';

interface Delivery {
  readonly entry: unknown;
  readonly dequeueCount: unknown;
}

const delivered: Record<string, Delivery[]> = { ok: [], flaky: [], broken: [] };
const base64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

function recordingQueueFunction(name: string, failures: number): FunctionDefinition {
  return {
    name: `test-${name}`,
    trigger: { type: 'queue', queueName: `test-${name}` },
    handler: (entry: unknown, context: InvocationContext) => {
      const list = delivered[name]!;
      list.push({ entry, dequeueCount: context.triggerMetadata?.dequeueCount });
      if (list.length <= failures) throw new Error(`${name} fails on purpose (${list.length})`);
    },
  };
}

const echo: FunctionDefinition = {
  name: 'test-echo',
  trigger: { type: 'http', route: 'echo/{id}/{rest?}', methods: ['GET'], authLevel: 'function' },
  handler: (request: HttpRequest) => ({
    jsonBody: { id: request.params.id, rest: request.params.rest ?? null },
  }),
};
const open: FunctionDefinition = {
  name: 'test-open',
  trigger: { type: 'http', route: 'open', methods: ['GET'], authLevel: 'anonymous' },
  handler: () => ({ status: 204 }),
};

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack({
    definitions: (services) => [
      ...functionDefinitions(services),
      recordingQueueFunction('ok', 0),
      recordingQueueFunction('flaky', 2),
      recordingQueueFunction('broken', Number.POSITIVE_INFINITY),
      echo,
      open,
    ],
    env: { GG_AUDIT_RETENTION_DAYS: '7' },
    runner: { queuePollIntervalMs: 25, queueRetryVisibilityMs: 1000 },
  });
});

afterAll(async () => {
  await stack.close();
});

describe('local runner: HTTP', () => {
  it('accepts the key in x-functions-key and passes route parameters', async () => {
    const response = await fetch(stack.apiUrl('echo/abc/def', { key: null }), {
      headers: { 'x-functions-key': stack.functionKey },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'abc', rest: 'def' });
  });

  it('refuses a function-level route without a key but serves anonymous routes', async () => {
    expect((await fetch(stack.apiUrl('echo/abc', { key: null }))).status).toBe(401);
    expect((await fetch(stack.apiUrl('open', { key: null }))).status).toBe(204);
  });

  it('answers 404 for unknown routes and 405 for a wrong method', async () => {
    expect((await fetch(stack.apiUrl('nowhere'))).status).toBe(404);
    expect((await fetch(stack.apiUrl('events/eventgrid'), { method: 'GET' })).status).toBe(405);
  });
});

describe('local runner: queue triggers', () => {
  it('hands the handler the decoded JSON with dequeueCount and deletes the message on success', async () => {
    const queue = stack.queue('test-ok');
    await queue.createIfNotExists();
    await queue.sendMessage(base64({ hello: 'queue' }));
    const [first] = await eventually(() => delivered.ok!.length > 0 && delivered.ok!, { what: 'delivery' });
    expect(first).toEqual({ entry: { hello: 'queue' }, dequeueCount: 1 });
    await eventually(async () => (await queue.getProperties()).approximateMessagesCount === 0, {
      what: 'message deleted',
    });
  });

  it('redelivers a failed message after the visibility timeout until it succeeds', async () => {
    const queue = stack.queue('test-flaky');
    await queue.createIfNotExists();
    await queue.sendMessage(base64({ attempt: 'me' }));
    await eventually(() => delivered.flaky!.length >= 3, { what: 'third delivery', timeoutMs: 20_000 });
    expect(delivered.flaky!.map((d) => d.dequeueCount)).toEqual([1, 2, 3]);
    await eventually(async () => (await queue.getProperties()).approximateMessagesCount === 0, {
      what: 'message deleted',
    });
  });

  it('moves a message to <queue>-poison after 5 failed deliveries and logs it', async () => {
    const queue = stack.queue('test-broken');
    await queue.createIfNotExists();
    await queue.sendMessage(base64({ doomed: true }));
    const poison = stack.queue('test-broken-poison');
    const peeked = await eventually(
      async () => {
        if (!(await poison.exists())) return undefined;
        const { peekedMessageItems } = await poison.peekMessages();
        return peekedMessageItems.length > 0 && peekedMessageItems;
      },
      { what: 'poison message', timeoutMs: 30_000 },
    );
    expect(JSON.parse(Buffer.from(peeked[0]!.messageText, 'base64').toString())).toEqual({ doomed: true });
    expect(delivered.broken!.map((d) => d.dequeueCount)).toEqual([1, 2, 3, 4, 5]);
    // The log line follows the move; wait for it rather than assume it is already written.
    await eventually(
      () =>
        stack.logs.some((l) => l.message === 'Message moved to poison queue' && l.queue === 'test-broken'),
      { what: 'poison log line' },
    );
  });
});

describe('local runner: timer triggers', () => {
  it('runs the audit-retention timer on demand, deleting audit rows older than the retention', async () => {
    const table = stack.table(AUDIT_TABLE);
    await table.createTable();
    const today = new Date().toISOString().slice(0, 10);
    const old = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    await table.upsertEntity({ partitionKey: old, rowKey: 'old-event', decision: 'ignored' });
    await table.upsertEntity({ partitionKey: today, rowKey: 'new-event', decision: 'ignored' });

    await stack.runner.triggerTimer('audit-retention');

    const left: string[] = [];
    for await (const row of table.listEntities()) left.push(row.rowKey!);
    expect(left).toContain('new-event');
    expect(left).not.toContain('old-event');
  });

  it('rejects triggering a timer that does not exist', async () => {
    await expect(stack.runner.triggerTimer('no-such-timer')).rejects.toThrow(/no-such-timer/);
  });
});
