import { odata } from '@azure/data-tables';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { RUN_QUEUE_NAME, RUN_TABLE, RunState, decodeRunMessage } from '../../shared/ledger';
import { ENQUEUE_GRACE_MS } from '../../shared/events/ingest-version-signal';
import { activityLogAlert, cloudEventWrite, eventGridWrite, versionIdOf } from '../support/event-payloads';
import { startLocalStack, type LocalStack } from '../support/local-stack';

let stack: LocalStack;
let now = Date.parse('2026-11-27T10:00:00Z');

beforeAll(async () => {
  stack = await startLocalStack({ clock: () => new Date(now) });
});

afterAll(async () => {
  await stack.close();
});

/** Deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed;
  const random = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function runRows(versionId: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const filter = odata`versionKey eq ${versionId.toLowerCase()}`;
  for await (const row of stack.table(RUN_TABLE).listEntities({ queryOptions: { filter } })) rows.push(row);
  return rows;
}

async function queuedKeys(): Promise<{ partitionKey: string; rowKey: string }[]> {
  const queue = stack.queue(RUN_QUEUE_NAME);
  if (!(await queue.exists())) return [];
  const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
  return peekedMessageItems.map((m) =>
    decodeRunMessage(Buffer.from(m.messageText, 'base64').toString('utf8')),
  );
}

describe('duplicate and replayed deliveries', () => {
  it('turns 100 shuffled deliveries of one write from both sources into exactly one run and one queue message', async () => {
    const versionId = versionIdOf('5.0.0');
    await stack.gallery.publish(versionId);
    const correlationId = '7e1c0a52-0000-4000-8000-000000000500';
    const deliveries: { route: string; body: unknown; headers?: Record<string, string> }[] = [];
    for (let i = 0; i < 100; i++) {
      // Event Grid redelivers the same event id; the two schemas and the alert carry different ids.
      if (i % 3 === 0)
        deliveries.push({
          route: 'events/eventgrid',
          body: eventGridWrite({ versionId, eventId: `eg-${i % 4}`, correlationId }),
        });
      else if (i % 3 === 1)
        deliveries.push({
          route: 'events/eventgrid',
          body: cloudEventWrite({ versionId, eventId: `ce-${i % 5}`, correlationId }),
          headers: { 'content-type': 'application/cloudevents+json' },
        });
      else
        deliveries.push({
          route: 'events/activity-log',
          body: activityLogAlert({ versionId, alertId: `alert-${i % 2}` }),
        });
    }
    const order = shuffled(deliveries, 42);
    const responses: { status: number; json: unknown }[] = [];
    for (let i = 0; i < order.length; i += 10) {
      const wave = order.slice(i, i + 10).map((d) => stack.post(d.route, d.body, { headers: d.headers }));
      responses.push(...(await Promise.all(wave)));
    }

    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    const decisions = responses.flatMap((r) =>
      (r.json as { outcomes: { decision: string }[] }).outcomes.map((o) => o.decision),
    );
    expect(decisions.filter((d) => d === 'run-created')).toHaveLength(1);
    expect(decisions.filter((d) => d === 'duplicate')).toHaveLength(99);

    const rows = await runRows(versionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: RunState.Queued, attempt: 1 });
    expect(String(rows[0]!.sources).split(',').sort()).toEqual(['activity-log', 'cloudevents', 'eventgrid']);

    const keys = (await queuedKeys()).filter((k) => k.partitionKey === rows[0]!.partitionKey);
    expect(keys).toEqual([{ partitionKey: rows[0]!.partitionKey, rowKey: '0001' }]);
  });

  it('re-sends the run key when a later delivery finds a Queued run that never reached the queue', async () => {
    const versionId = versionIdOf('5.1.0');
    await stack.gallery.publish(versionId);
    // As if the process crashed between the insert and the enqueue.
    const crashed = await stack.services.ledger.insertRun({
      version: parseImageVersionId(versionId),
      versionId,
      attempt: 1,
      source: 'eventgrid',
      eventId: 'lost',
    });
    const early = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'early' }));
    expect(early.json).toMatchObject({ outcomes: [{ decision: 'duplicate' }] });
    expect((await queuedKeys()).filter((k) => k.partitionKey === crashed.key.partitionKey)).toHaveLength(0);

    now += ENQUEUE_GRACE_MS + 1000;
    const late = await stack.post('events/activity-log', activityLogAlert({ versionId, alertId: 'late' }));
    expect(late.json).toMatchObject({ outcomes: [{ decision: 'duplicate' }] });
    expect((await queuedKeys()).filter((k) => k.partitionKey === crashed.key.partitionKey)).toHaveLength(1);
    const [row] = await runRows(versionId);
    expect(row!.enqueuedAt).toEqual(new Date(now).toISOString());
  });

  it('takes the ARM spelling of the version id even when the first report was lower-cased', async () => {
    const versionId = versionIdOf('5.3.0');
    await stack.gallery.publish(versionId);
    await stack.post(
      'events/activity-log',
      activityLogAlert({ versionId, alertId: 'lower', targetOnly: true }),
    );
    const [first] = await runRows(versionId);
    expect(first).toMatchObject({ versionId });

    await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'arm-spelling' }));

    const rows = await runRows(versionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ versionId, sources: 'activity-log,eventgrid' });
  });

  it('lets a delete that arrives before the publish absorb nothing: the write still starts a run', async () => {
    const versionId = versionIdOf('5.2.0');
    const deleted = await stack.post(
      'events/eventgrid',
      eventGridWrite({
        versionId,
        eventId: 'del-first',
        eventType: 'Microsoft.Resources.ResourceDeleteSuccess',
        operationName: 'Microsoft.Compute/galleries/images/versions/delete',
      }),
    );
    expect(deleted.json).toMatchObject({ outcomes: [{ decision: 'nothing-to-cancel' }] });
    const instanceId = await stack.gallery.publish(versionId);
    const late = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'write-late' }));
    expect(late.json).toMatchObject({ outcomes: [{ decision: 'run-created' }] });
    const rows = await runRows(versionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: RunState.Queued, instanceId });
  });
});
