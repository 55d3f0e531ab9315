import { TableClient } from '@azure/data-tables';
import type { RunningAzurite } from '../../local/azurite';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { DEFAULT_MUTATE_TRIES, RowChangedError, RowContendedError } from '../../shared/azure/table-store';
import { RunConflictError, RunLedger, RunState } from '../../shared/ledger';
import { claimDelivery, saveDelivery, type DeliveryKey } from '../../shared/notify/delivery-ledger';
import {
  ActionStatus,
  insertRecordIfAbsent,
  updateRecord,
  writeActionRow,
} from '../../shared/remediation/remediation-ledger';
import type { RemediationRecord } from '../../shared/remediation/remediation-record';
import { versionIdOf } from '../support/event-payloads';
import { startTestAzurite } from '../support/local-stack';
import { withRivalWriter } from '../support/rival-writer';

/**
 * Every store's read-decide-write is bounded: against a row another writer changes before each of our
 * writes, it stops after a fixed number of lost races with the store's error instead of spinning.
 */

let azurite: RunningAzurite;

function client(name: string): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true });
}

/** A client of `name` whose every write loses to a rival writer of the same row. */
function contended(name: string): ReturnType<typeof withRivalWriter> {
  return withRivalWriter(client(name), client(name));
}

beforeAll(async () => {
  azurite = await startTestAzurite();
  await Promise.all(
    ['contendedruns', 'contendedremediations', 'contendednotes'].map((t) => client(t).createTable()),
  );
});

afterAll(async () => {
  await azurite?.close();
});

const VERSION_KEY = parseImageVersionId(versionIdOf('9.9.9')).key;

describe('bounded read-decide-write', () => {
  it('writeActionRow gives up on a row that keeps changing with RowContendedError', async () => {
    const hot = contended('contendedremediations');
    const write = writeActionRow(hot.table, VERSION_KEY, {
      action: 'exclude-from-latest',
      runId: 'run-hot',
      status: ActionStatus.Retrying,
      reason: 'transient',
      attempts: 1,
      at: '2026-11-27T00:00:00Z',
    });

    await expect(write).rejects.toBeInstanceOf(RowContendedError);
    await expect(write).rejects.toMatchObject({ tries: DEFAULT_MUTATE_TRIES });
    expect(hot.rivalWrites()).toBe(DEFAULT_MUTATE_TRIES);
  });

  it('updateRecord re-applies its change at most six times', async () => {
    const record: RemediationRecord = {
      versionId: versionIdOf('9.9.9'),
      firstSeenAt: '2026-11-27T00:00:00Z',
      firstMode: 'report-only',
      firstState: { excludeFromLatest: false, regions: [], endOfLifeDate: undefined },
      gateHeld: false,
      ownedVersionExclusion: false,
      ownedRegionExclusions: [],
      ownedEndOfLife: false,
      pageOpen: false,
    };
    await insertRecordIfAbsent(client('contendedremediations'), VERSION_KEY, record);
    const hot = contended('contendedremediations');
    let changes = 0;

    const update = updateRecord(hot.table, VERSION_KEY, (r) => {
      changes++;
      return { ...r, pageOpen: true };
    });

    await expect(update).rejects.toBeInstanceOf(RowContendedError);
    expect(changes).toBe(6);
  });

  it('claimDelivery stops after five lost races on a claim it could take over', async () => {
    const key: DeliveryKey = { versionKey: VERSION_KEY, runId: 'run-hot', kind: 'Failed', channel: 'teams' };
    const fresh = {
      versionId: versionIdOf('9.9.9'),
      runId: 'run-hot',
      kind: 'Failed',
      channel: 'teams',
      destination: 'teams:ops',
    };
    const crashedAt = new Date('2026-11-27T00:00:00Z');
    const stale = await claimDelivery(client('contendednotes'), key, fresh, crashedAt, 1_000);
    expect(stale.kind).toBe('claimed');
    const hot = contended('contendednotes');

    const claim = claimDelivery(hot.table, key, fresh, new Date('2026-11-27T01:00:00Z'), 60_000);

    await expect(claim).rejects.toBeInstanceOf(RowContendedError);
    await expect(claim).rejects.toMatchObject({ tries: 5 });
  });

  it('saveDelivery refuses to record over a claim another instance took over', async () => {
    const key: DeliveryKey = {
      versionKey: VERSION_KEY,
      runId: 'run-taken',
      kind: 'Failed',
      channel: 'teams',
    };
    const fresh = {
      versionId: versionIdOf('9.9.9'),
      runId: 'run-taken',
      kind: 'Failed',
      channel: 'teams',
      destination: 'teams:ops',
    };
    const table = client('contendednotes');
    const first = await claimDelivery(table, key, fresh, new Date('2026-11-27T00:00:00Z'), 1_000);
    const second = await claimDelivery(table, key, fresh, new Date('2026-11-27T01:00:00Z'), 60_000);
    if (first.kind !== 'claimed' || second.kind !== 'claimed') throw new Error('both claims should hold');

    const save = saveDelivery(table, key, { ...first.row, status: 'Delivered' }, first.etag);

    await expect(save).rejects.toBeInstanceOf(RowChangedError);
    await expect(save).rejects.toMatchObject({
      current: { status: 'Sending', leaseUntil: second.row.leaseUntil },
    });
  });

  it('RunLedger.mutateRun stops after maxTries with RunConflictError carrying the last run seen', async () => {
    const version = parseImageVersionId(versionIdOf('9.9.9'));
    const now = () => new Date('2026-11-27T00:00:00Z');
    const newRun = {
      version,
      versionId: versionIdOf('9.9.9'),
      attempt: 1,
      source: 'manual',
      eventId: 'e-hot',
    };
    const run = await new RunLedger(client('contendedruns'), now).insertRun(newRun);
    const hot = contended('contendedruns');
    let decisions = 0;

    const mutate = new RunLedger(hot.table, now).mutateRun(
      run.key,
      () => {
        decisions++;
        return { state: RunState.Running };
      },
      3,
    );

    await expect(mutate).rejects.toBeInstanceOf(RunConflictError);
    await expect(mutate).rejects.toMatchObject({
      runId: run.runId,
      current: { state: RunState.Queued, extra: { rival: 3 } },
    });
    expect(decisions).toBe(3);
  });
});
