import { odata } from '@azure/data-tables';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { RUN_TABLE, RunState } from '../../shared/ledger';
import { sweepMissedVersions } from '../../shared/events/sweep-missed-versions';
import { activityLogAlert, eventGridWrite, versionIdOf } from '../support/event-payloads';
import { startLocalStack, type LocalStack } from '../support/local-stack';

/** Every signal is a pointer: what ingest decides depends on what ARM (the simulator) shows. */
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
  return rows.sort((a, b) => Number(a.attempt) - Number(b.attempt));
}

const deleteEvent = (versionId: string, eventId: string): unknown =>
  eventGridWrite({
    versionId,
    eventId,
    eventType: 'Microsoft.Resources.ResourceDeleteSuccess',
    operationName: 'Microsoft.Compute/galleries/images/versions/delete',
  });

const decisionOf = (response: { json: unknown }): string | undefined =>
  (response.json as { outcomes: { decision: string }[] }).outcomes[0]?.decision;

/** What the validation engine would have done to a run: finish it with `state`. */
async function finish(versionId: string, state: RunState): Promise<void> {
  const latest = await stack.services.ledger.latestAttempt(parseImageVersionId(versionId));
  await stack.services.ledger.mutateRun(latest!.key, () => ({ state }));
}

describe('signals confirmed against ARM', () => {
  it('answers a write for a version ARM does not show with a run that waits, not a run that ends the story', async () => {
    const versionId = versionIdOf('7.0.0');
    const forged = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'forged' }));
    expect(decisionOf(forged)).toBe('awaiting-arm');
    const [pending] = await runRows(versionId);
    expect(pending).toMatchObject({ state: RunState.Queued, attempt: 1 });
    expect(pending!.instanceId).toBeUndefined();

    const instanceId = await stack.gallery.publish(versionId);
    const real = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'real' }));
    expect(decisionOf(real)).toBe('duplicate');
    const rows = await runRows(versionId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: RunState.Queued, instanceId });
  });

  it('starts a new run for a write after an earlier run for the version ended Cancelled', async () => {
    const versionId = versionIdOf('7.1.0');
    await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'early' }));
    await finish(versionId, RunState.Cancelled); // what the engine did with the early write on main
    const instanceId = await stack.gallery.publish(versionId);
    const real = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'real' }));
    expect(decisionOf(real)).toBe('run-created');
    const rows = await runRows(versionId);
    expect(rows.map((r) => [r.attempt, r.state])).toEqual([
      [1, RunState.Cancelled],
      [2, RunState.Queued],
    ]);
    expect(rows[1]!.instanceId).toBe(instanceId);
  });

  it('gives a version deleted and published again under the same number a new run', async () => {
    const versionId = versionIdOf('7.2.0');
    const first = await stack.gallery.publish(versionId);
    await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'first' }));
    await finish(versionId, RunState.Passed);
    await stack.gallery.remove(versionId);
    const gone = await stack.post('events/eventgrid', deleteEvent(versionId, 'gone'));
    expect(decisionOf(gone)).toBe('nothing-to-cancel');
    const second = await stack.gallery.publish(versionId);
    expect(second).not.toBe(first);
    const again = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'again' }));
    expect(decisionOf(again)).toBe('run-created');
    const rows = await runRows(versionId);
    expect(rows.map((r) => [r.attempt, r.state, r.instanceId])).toEqual([
      [1, RunState.Passed, first],
      [2, RunState.Queued, second],
    ]);
  });

  it('does not let a delete that arrives before the publish absorb the write', async () => {
    const versionId = versionIdOf('7.3.0');
    const early = await stack.post('events/eventgrid', deleteEvent(versionId, 'early-delete'));
    expect(decisionOf(early)).toBe('nothing-to-cancel');
    await stack.gallery.publish(versionId);
    const write = await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'write' }));
    expect(decisionOf(write)).toBe('run-created');
    expect((await runRows(versionId)).map((r) => r.state)).toEqual([RunState.Queued]);
  });

  it('cancels nothing on a delete signal for a version ARM still shows', async () => {
    const versionId = versionIdOf('7.4.0');
    await stack.gallery.publish(versionId);
    await stack.post('events/eventgrid', eventGridWrite({ versionId, eventId: 'write' }));
    const forged = await stack.post('events/eventgrid', deleteEvent(versionId, 'forged-delete'));
    expect(forged.status).toBe(200);
    expect(decisionOf(forged)).toBe('delete-not-confirmed');
    expect((await runRows(versionId)).map((r) => r.state)).toEqual([RunState.Queued]);
  });

  it('keeps the spelling a finished run was decided with', async () => {
    const versionId = versionIdOf('7.5.0');
    await stack.gallery.publish(versionId);
    await stack.post('events/activity-log', activityLogAlert({ versionId, alertId: 'a', targetOnly: true }));
    const [before] = await runRows(versionId);
    await finish(versionId, RunState.Failed);
    const shouted = versionId.replace('contosoGallery', 'CONTOSOGALLERY');
    await stack.post('events/eventgrid', eventGridWrite({ versionId: shouted, eventId: 'other-casing' }));
    const [after] = await runRows(versionId);
    expect(after!.versionId).toBe(before!.versionId);
    expect(after).toMatchObject({ state: RunState.Failed });
  });

  it('sweeps every version whose current instance has no run in flight or with a verdict', async () => {
    const orphan = versionIdOf('7.6.0');
    const covered = versionIdOf('7.6.1');
    await stack.post('events/eventgrid', eventGridWrite({ versionId: orphan, eventId: 'early' }));
    await finish(orphan, RunState.Cancelled);
    await stack.gallery.publish(orphan);
    await stack.gallery.publish(covered);
    await stack.post('events/eventgrid', eventGridWrite({ versionId: covered, eventId: 'covered' }));
    const compute = (id: string) => stack.services.arm.compute(id);

    const created = await sweepMissedVersions(stack.services, compute, 24);
    expect((await runRows(orphan)).map((r) => r.state)).toEqual([RunState.Cancelled, RunState.Queued]);
    expect((await runRows(covered)).map((r) => r.state)).toEqual([RunState.Queued]);
    expect(created).toBeGreaterThanOrEqual(1);
    expect(await sweepMissedVersions(stack.services, compute, 24)).toBe(0);
  });
});
