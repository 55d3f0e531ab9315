import { odata } from '@azure/data-tables';
import { AUDIT_TABLE, RUN_TABLE } from '../../shared/ledger';
import { MAX_EVENTS_PER_REQUEST } from '../../shared/events/payload-json';
import { activityLogAlert, eventGridWrite, loadFixture, versionIdOf } from '../support/event-payloads';
import { startLocalStack, type LocalStack } from '../support/local-stack';

/** Hostile and oversized input: a clear 4xx or a bounded record, never a 500 and never an overwrite. */
let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});

afterAll(async () => {
  await stack.close();
});

async function runRows(versionId: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const filter = odata`versionKey eq ${versionId.toLowerCase()}`;
  for await (const row of stack.table(RUN_TABLE).listEntities({ queryOptions: { filter } })) rows.push(row);
  return rows;
}

async function auditRows(eventId: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  const filter = odata`eventId eq ${eventId}`;
  for await (const row of stack.table(AUDIT_TABLE).listEntities({ queryOptions: { filter } })) rows.push(row);
  return rows;
}

async function countAudit(): Promise<number> {
  await stack.services.audit.ensureTable();
  let n = 0;
  for await (const _ of stack.table(AUDIT_TABLE).listEntities({ queryOptions: { select: ['RowKey'] } })) n++;
  return n;
}

const outcomesOf = (response: { json: unknown }): { decision: string; reason?: string }[] =>
  (response.json as { outcomes: { decision: string; reason?: string }[] }).outcomes;

/** A small CloudEvent (as a flood would send them): `write` ones name an image version. */
function tinyCloudEvent(id: string, versionId?: string): Record<string, unknown> {
  return versionId === undefined
    ? { specversion: '1.0', id, source: 's', type: 'x' }
    : {
        specversion: '1.0',
        id,
        source: 's',
        type: 'Microsoft.Resources.ResourceWriteSuccess',
        data: { operationName: 'Microsoft.Compute/galleries/images/versions/write', resourceUri: versionId },
      };
}

describe('audit rows', () => {
  it('are insert-only: a second event reusing an id gets its own row, the first stays', async () => {
    const versionId = versionIdOf('8.0.0');
    await stack.gallery.publish(versionId);
    const first = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'reused-id' }));
    expect(outcomesOf(first)[0]?.decision).toBe('run-created');
    const forged = await stack.post(
      'events/eventgrid',
      eventGridWrite({
        versionId,
        eventId: 'reused-id',
        eventType: 'Microsoft.Resources.ResourceWriteFailure',
      }),
    );
    expect(outcomesOf(forged)[0]?.decision).toBe('ignored');
    const rows = await auditRows('reused-id');
    expect(rows.map((r) => r.decision).sort()).toEqual(['ignored', 'run-created']);
  });
});

describe('permanent bad input answers 400 (or a bounded record), never 500', () => {
  it('refuses an id with a lone surrogate', async () => {
    const body = JSON.stringify(eventGridWrite({ eventId: 'LONE' })).replace('LONE', '\\ud800');
    const response = await stack.post('events/eventgrid', body, { raw: true });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.json)).toMatch(/surrogate/);
  });

  it('refuses a lone surrogate in an alert too', async () => {
    const body = JSON.stringify(activityLogAlert({ alertId: 'LONE' })).replace('LONE', 'x\\udc00');
    const response = await stack.post('events/activity-log', body, { raw: true });
    expect(response.status).toBe(400);
  });

  it('records an event whose fields exceed 64 KiB with the text truncated and marked', async () => {
    const huge = `Microsoft.Compute/${'x'.repeat(70_000)}`;
    const response = await stack.post(
      'events/activity-log',
      activityLogAlert({ alertId: 'huge-op', operationName: huge }),
    );
    expect(response.status).toBe(200);
    expect(outcomesOf(response)[0]?.decision).toBe('ignored');
    const [row] = await auditRows('huge-op');
    expect(String(row!.reason).length).toBeLessThanOrEqual(4096);
    expect(String(row!.reason)).toMatch(/…\[truncated: \d+ chars\]$/);
  });

  it('creates the run for a write whose correlation id exceeds 64 KiB, with the id bounded', async () => {
    const versionId = versionIdOf('8.1.0');
    await stack.gallery.publish(versionId);
    const response = await stack.post(
      'events/eventgrid',
      eventGridWrite({ versionId, eventId: 'huge-corr', correlationId: 'c'.repeat(70_000) }),
    );
    expect(response.status).toBe(200);
    expect(outcomesOf(response)[0]?.decision).toBe('run-created');
    const [run] = await runRows(versionId);
    expect(String(run!.correlationId).length).toBeLessThanOrEqual(1024);
  });
});

describe('floods and mixed batches', () => {
  it('refuses more events than Event Grid ever batches (10,000) with 413, before any write', async () => {
    const before = await countAudit();
    const events = Array.from({ length: 10_000 }, (_, i) => tinyCloudEvent(`flood-${i}`));
    const response = await stack.post('events/eventgrid', events, {
      headers: { 'content-type': 'application/cloudevents-batch+json' },
    });
    expect(response.status).toBe(413);
    expect(JSON.stringify(response.json)).toMatch(String(MAX_EVENTS_PER_REQUEST));
    expect(await countAudit()).toBe(before);
  });

  it('ingests Event Grid’s largest batch (5,000 events) with one outcome and one audit row per event', async () => {
    const versions = Array.from({ length: 20 }, (_, i) => versionIdOf(`8.2.${i}`));
    for (const v of versions) await stack.gallery.publish(v);
    const events = Array.from({ length: MAX_EVENTS_PER_REQUEST }, (_, i) =>
      i % 3 === 0 ? tinyCloudEvent(`big-${i}`, versions[i % versions.length]) : tinyCloudEvent(`big-${i}`),
    );
    const body = JSON.stringify(events);
    expect(body.length).toBeLessThan(1024 * 1024);
    const before = await countAudit();
    const started = Date.now();
    const response = await stack.post('events/eventgrid', body, {
      raw: true,
      headers: { 'content-type': 'application/cloudevents-batch+json' },
    });
    const elapsedMs = Date.now() - started;
    expect(response.status).toBe(200);
    const decisions = outcomesOf(response).map((o) => o.decision);
    expect(decisions).toHaveLength(MAX_EVENTS_PER_REQUEST);
    expect(decisions.filter((d) => d === 'run-created')).toHaveLength(versions.length);
    expect(decisions.filter((d) => d === 'ignored')).toHaveLength(
      events.filter((e) => e.type === 'x').length,
    );
    expect(await countAudit()).toBe(before + MAX_EVENTS_PER_REQUEST);
    for (const v of versions) expect(await runRows(v)).toHaveLength(1);
    // The figure in README "Ingest"; Event Grid waits 30 s.
    process.stdout.write(`5000-event batch answered in ${elapsedMs} ms\n`);
  }, 120_000);

  it('answers the validation handshake and ingests the write that came in the same batch', async () => {
    const versionId = versionIdOf('8.3.0');
    await stack.gallery.publish(versionId);
    const batch = [
      ...loadFixture<unknown[]>('eventgrid-subscription-validation.json'),
      ...eventGridWrite({ versionId, eventId: 'with-handshake' }),
    ];
    const response = await stack.post('events/eventgrid', batch);
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({
      validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6',
      outcomes: [{ eventId: 'with-handshake', decision: 'run-created' }],
    });
    expect(await runRows(versionId)).toHaveLength(1);
  });

  it('rejects an event whose subject and data.resourceUri name different versions', async () => {
    const subject = versionIdOf('8.4.0');
    const resourceUri = versionIdOf('8.4.1');
    await stack.gallery.publish(subject);
    await stack.gallery.publish(resourceUri);
    const [event] = eventGridWrite({ versionId: resourceUri, eventId: 'two-names' });
    const response = await stack.post('events/eventgrid', [{ ...event, subject }]);
    expect(response.status).toBe(200);
    const [outcome] = outcomesOf(response);
    expect(outcome?.decision).toBe('rejected');
    expect(outcome?.reason).toMatch(/different/);
    expect(await runRows(subject)).toHaveLength(0);
    expect(await runRows(resourceUri)).toHaveLength(0);
  });
});
