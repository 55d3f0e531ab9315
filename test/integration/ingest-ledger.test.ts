import type { RunningAzurite } from '../../local/azurite';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { createStorageClients } from '../../shared/azure/storage-clients';
import {
  RunAlreadyExistsError,
  RunConflictError,
  RunLedger,
  RunState,
  type NewRun,
} from '../../shared/ledger';
import { versionIdOf } from '../support/event-payloads';
import { startTestAzurite } from '../support/local-stack';

let azurite: RunningAzurite;
let ledger: RunLedger;
let now = Date.parse('2026-11-27T10:00:00Z');

beforeAll(async () => {
  azurite = await startTestAzurite();
  const storage = createStorageClients({ connectionString: azurite.connectionString }, () => {
    throw new Error('no credential offline');
  });
  ledger = new RunLedger(storage.table('ledgertest'), () => new Date(now));
});

afterAll(async () => {
  await azurite.close();
});

function newRun(version: string, attempt = 1): NewRun {
  const versionId = versionIdOf(version);
  return {
    version: parseImageVersionId(versionId),
    versionId,
    attempt,
    source: 'manual',
    eventId: `e-${version}`,
  };
}

describe('RunLedger against Table Storage', () => {
  it('refuses a second insert of the same attempt with the stored row', async () => {
    const first = await ledger.insertRun(newRun('6.0.0'));
    const second = ledger.insertRun({ ...newRun('6.0.0'), eventId: 'other' });
    await expect(second).rejects.toBeInstanceOf(RunAlreadyExistsError);
    await expect(second).rejects.toMatchObject({ existing: { runId: first.runId, firstEventId: 'e-6.0.0' } });
  });

  it('rejects an update with a stale ETag and hands back the current row', async () => {
    const run = await ledger.insertRun(newRun('6.1.0'));
    const moved = await ledger.updateRun(run, { state: RunState.Running });
    const stale = ledger.updateRun(run, { state: RunState.Cancelled });
    await expect(stale).rejects.toBeInstanceOf(RunConflictError);
    await expect(stale).rejects.toMatchObject({ current: { state: RunState.Running, etag: moved.etag } });
    expect((await ledger.getRun(run.key))?.state).toBe(RunState.Running);
  });

  it('keeps columns it does not know across updates', async () => {
    const run = await ledger.insertRun(newRun('6.2.0'));
    const withExtra = await ledger.updateRun(run, { extra: { phase: 'deploy', vmCount: 2 } });
    const updated = await ledger.updateRun(withExtra, { stateReason: 'still going' });
    expect(updated.extra).toEqual({ phase: 'deploy', vmCount: 2 });
    expect(updated.stateReason).toBe('still going');
  });

  it('applies concurrent read-modify-writes without losing any', async () => {
    const run = await ledger.insertRun(newRun('6.3.0'));
    const sources = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    await Promise.all(
      sources.map((source) =>
        ledger.mutateRun(run.key, (current) =>
          current.sources.includes(source) ? undefined : { sources: [...current.sources, source] },
        ),
      ),
    );
    expect([...(await ledger.getRun(run.key))!.sources].sort()).toEqual([...sources, 'manual']);
  });

  it('creates attempt N+1 once, however often re-validation after attempt N is requested', async () => {
    await ledger.insertRun(newRun('6.4.0'));
    const { attempt: _first, ...input } = newRun('6.4.0');
    const results = await Promise.all([1, 2, 3].map(() => ledger.createNextAttempt(input, 1)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.run.runId)).size).toBe(1);
    expect((await ledger.listAttempts(input.version)).map((r) => r.attempt)).toEqual([1, 2]);
    expect((await ledger.latestAttempt(input.version))?.attempt).toBe(2);
  });

  it('lists runs in a state whose next action is due', async () => {
    const due = await ledger.insertRun(newRun('6.5.0'));
    now += 60_000;
    const notDue = await ledger.insertRun(newRun('6.5.1'));
    const found = await ledger.listRunsInState([RunState.Queued], { dueBy: new Date(now - 30_000) });
    const ids = found.map((r) => r.runId);
    expect(ids).toContain(due.runId);
    expect(ids).not.toContain(notDue.runId);
  });
});
