import { odata } from '@azure/data-tables';
import { RUN_QUEUE_NAME, RUN_TABLE, RunState, decodeRunMessage } from '../../shared/ledger';
import {
  FIXTURE_GALLERY_ID,
  activityLogAlert,
  cloudEventWrite,
  eventGridWrite,
  loadFixture,
  versionIdOf,
} from '../support/event-payloads';
import { startLocalStack, type LocalStack } from '../support/local-stack';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack.close();
});

async function runRowsFor(versionId: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const filter = odata`versionKey eq ${versionId.toLowerCase()}`;
  for await (const row of stack.table(RUN_TABLE).listEntities({ queryOptions: { filter } })) rows.push(row);
  return rows;
}

describe('Event Grid webhook', () => {
  it('answers the subscription validation handshake with the validation code', async () => {
    const response = await stack.post(
      'events/eventgrid',
      loadFixture('eventgrid-subscription-validation.json'),
      {
        headers: { 'aeg-event-type': 'SubscriptionValidation' },
      },
    );
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
  });

  it('answers the CloudEvents OPTIONS handshake with WebHook-Allowed-Origin', async () => {
    const response = await fetch(stack.apiUrl('events/eventgrid'), {
      method: 'OPTIONS',
      headers: { 'WebHook-Request-Origin': 'eventgrid.azure.net' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('webhook-allowed-origin')).toBe('eventgrid.azure.net');
    expect(response.headers.get('allow')).toMatch(/POST/);
  });

  it('creates one Queued run from an Event Grid schema write and puts its key on the run queue', async () => {
    const versionId = versionIdOf('2.0.0');
    const publishedDate = await stack.gallery.publish(versionId);
    const response = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'eg-2.0.0' }));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcomes: [{ eventId: 'eg-2.0.0', decision: 'run-created' }] });

    const rows = await runRowsFor(versionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      versionId,
      state: RunState.Queued,
      attempt: 1,
      sources: 'eventgrid',
      firstEventId: 'eg-2.0.0',
      correlationId: '9d3e1f2a-7b6c-4d5e-8f9a-0b1c2d3e4f5a',
      instanceId: publishedDate,
    });
    expect(typeof rows[0]!.firstSeenAt).toBe('string');

    const peeked = await stack.queue(RUN_QUEUE_NAME).peekMessages({ numberOfMessages: 32 });
    const keys = peeked.peekedMessageItems.map((m) =>
      decodeRunMessage(Buffer.from(m.messageText, 'base64').toString('utf8')),
    );
    expect(keys).toContainEqual({ partitionKey: rows[0]!.partitionKey, rowKey: rows[0]!.rowKey });
  });

  it('creates a run from a single CloudEvent and from a CloudEvents batch', async () => {
    const single = versionIdOf('2.1.0');
    const batchA = versionIdOf('2.2.0');
    const batchB = versionIdOf('2.3.0');
    for (const id of [single, batchA, batchB]) await stack.gallery.publish(id);
    const one = await stack.post(
      'events/eventgrid',
      cloudEventWrite({ versionId: single, eventId: 'ce-1' }),
      {
        headers: { 'content-type': 'application/cloudevents+json; charset=utf-8' },
      },
    );
    const batch = await stack.post(
      'events/eventgrid',
      [
        cloudEventWrite({ versionId: batchA, eventId: 'ce-2' }),
        cloudEventWrite({ versionId: batchB, eventId: 'ce-3' }),
      ],
      { headers: { 'content-type': 'application/cloudevents-batch+json' } },
    );
    expect(one.status).toBe(200);
    expect(batch.status).toBe(200);
    for (const id of [single, batchA, batchB]) {
      const rows = await runRowsFor(id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ state: RunState.Queued, sources: 'cloudevents' });
    }
  });

  it('cancels the pending run when the version is deleted', async () => {
    const versionId = versionIdOf('2.4.0');
    await stack.gallery.publish(versionId);
    await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'w-2.4.0' }));
    await stack.gallery.remove(versionId);
    const response = await stack.post(
      'events/eventgrid',
      eventGridWrite({
        versionId,
        eventId: 'd-2.4.0',
        eventType: 'Microsoft.Resources.ResourceDeleteSuccess',
        operationName: 'Microsoft.Compute/galleries/images/versions/delete',
      }),
    );
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcomes: [{ decision: 'run-cancelled' }] });
    const rows = await runRowsFor(versionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: RunState.Cancelled });
  });

  it('acknowledges and ignores other events without writing a run', async () => {
    const versionId = versionIdOf('2.5.0');
    const failure = await stack.post(
      'events/eventgrid',
      eventGridWrite({
        versionId,
        eventId: 'f-2.5.0',
        eventType: 'Microsoft.Resources.ResourceWriteFailure',
      }),
    );
    const other = await stack.post(
      'events/eventgrid',
      eventGridWrite({
        versionId,
        eventId: 'o-2.5.0',
        operationName: 'Microsoft.Compute/galleries/images/write',
      }),
    );
    expect(failure.status).toBe(200);
    expect(other.status).toBe(200);
    expect(failure.json).toMatchObject({ outcomes: [{ decision: 'ignored' }] });
    expect(other.json).toMatchObject({ outcomes: [{ decision: 'ignored' }] });
    expect(await runRowsFor(versionId)).toHaveLength(0);
  });
});

describe('Activity Log alert webhook', () => {
  it('creates a run for a fired alert of a succeeded version write (lower-cased target id only)', async () => {
    const versionId = versionIdOf('3.0.0');
    await stack.gallery.publish(versionId);
    const response = await stack.post(
      'events/activity-log',
      activityLogAlert({ versionId, alertId: 'alert-3.0.0', targetOnly: true }),
    );
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcomes: [{ decision: 'run-created' }] });
    const rows = await runRowsFor(versionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: RunState.Queued, sources: 'activity-log' });
  });

  it.each([
    ['a Started operation', '3.1.1', { status: 'Started' }],
    ['a Failed operation', '3.1.2', { status: 'Failed' }],
    ['a Resolved alert', '3.1.3', { monitorCondition: 'Resolved' }],
  ])('creates nothing for %s', async (_what, version, variant) => {
    const versionId = versionIdOf(version);
    const response = await stack.post('events/activity-log', activityLogAlert({ versionId, ...variant }));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcomes: [{ decision: 'ignored' }] });
    expect(await runRowsFor(versionId)).toHaveLength(0);
  });

  it('records an audit row with the decision for each received event', async () => {
    const versionId = versionIdOf('3.2.0');
    await stack.gallery.publish(versionId);
    await stack.post('events/activity-log', activityLogAlert({ versionId, alertId: 'alert-3.2.0' }));
    const day = new Date().toISOString().slice(0, 10);
    const rows = await stack.services.audit.listDay(day);
    expect(rows).toContainEqual(
      expect.objectContaining({
        eventId: 'alert-3.2.0',
        source: 'activity-log',
        decision: 'run-created',
        versionId,
      }),
    );
  });
});

describe('bad input', () => {
  const outOfScope = `/subscriptions/8f2d6c3a-1b5e-4c2d-9f00-3a7b6c5d4e21/resourceGroups/rg-other/providers/Microsoft.Compute/galleries/otherGallery/images/x/versions/1.0.0`;
  const cases: [string, () => Promise<{ status: number; json: unknown }>, number][] = [
    ['malformed JSON', () => stack.post('events/eventgrid', '{"id": ', { raw: true }), 400],
    ['a payload in neither schema', () => stack.post('events/eventgrid', [{ hello: 'world' }]), 400],
    [
      'an Event Grid event missing required fields',
      () => stack.post('events/eventgrid', [{ eventType: 'x', id: '1' }]),
      400,
    ],
    [
      'a write event without operationName',
      () =>
        stack.post(
          'events/eventgrid',
          eventGridWrite({ operationName: undefined }).map((e) => ({
            ...e,
            data: { resourceUri: versionIdOf('9.0.1') },
          })),
        ),
      400,
    ],
    [
      'an alert with the wrong schemaId',
      () =>
        stack.post('events/activity-log', {
          ...activityLogAlert(),
          schemaId: 'Microsoft.Insights/activityLogs',
        }),
      400,
    ],
    [
      'an alert without alertContext',
      () =>
        stack.post('events/activity-log', {
          schemaId: 'azureMonitorCommonAlertSchema',
          data: { essentials: {} },
        }),
      400,
    ],
    [
      'an out-of-scope gallery',
      () => stack.post('events/eventgrid', eventGridWrite({ versionId: outOfScope, eventId: 'oos' })),
      200,
    ],
    [
      'a non-version resource id',
      () =>
        stack.post(
          'events/eventgrid',
          eventGridWrite({ versionId: `${FIXTURE_GALLERY_ID}/images/ubuntu-22-04-hardened`, eventId: 'nv' }),
        ),
      200,
    ],
    ['a missing function key', () => stack.post('events/eventgrid', eventGridWrite(), { key: null }), 401],
    [
      'a wrong function key',
      () => stack.post('events/activity-log', activityLogAlert(), { key: 'wrong' }),
      401,
    ],
  ];

  it.each(cases)('answers %s with the right status, a log line and no run', async (_what, send, status) => {
    const before = stack.logs.length;
    const runsBefore = await countRuns();
    const response = await send();
    expect(response.status).toBe(status);
    const lines = stack.logs.slice(before);
    expect(lines.some((l) => l.level === 'warn' || /Ignored/.test(l.message))).toBe(true);
    if (status === 200) {
      const { outcomes } = response.json as { outcomes: { decision: string }[] };
      expect(outcomes.map((o) => o.decision)).toEqual([expect.stringMatching(/^ignored/)]);
    }
    expect(await countRuns()).toBe(runsBefore);
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const response = await stack.post('events/eventgrid', 'x'.repeat(1024 * 1024 + 1), { raw: true });
    expect(response.status).toBe(413);
  });
});

async function countRuns(): Promise<number> {
  let count = 0;
  for await (const _row of stack.table(RUN_TABLE).listEntities({ queryOptions: { select: ['RowKey'] } }))
    count++;
  return count;
}
