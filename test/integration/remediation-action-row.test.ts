import { TableClient } from '@azure/data-tables';
import type { RunningAzurite } from '../../local/azurite';
import {
  ActionStatus,
  readActionRow,
  writeActionRow,
  type ActionRow,
} from '../../shared/remediation/remediation-ledger';
import { startTestAzurite } from '../support/local-stack';

let azurite: RunningAzurite;
let table: TableClient;
const VERSION_KEY =
  '/subscriptions/s/resourcegroups/rg/providers/microsoft.compute/galleries/g/images/i/versions/1.0.0';

beforeAll(async () => {
  azurite = await startTestAzurite();
  table = TableClient.fromConnectionString(azurite.connectionString, 'remediations', {
    allowInsecureConnection: true,
  });
  await table.createTable();
});

afterAll(async () => {
  await azurite?.close();
});

function row(runId: string, status: ActionStatus, before: string): ActionRow {
  return {
    action: 'exclude-from-latest',
    runId,
    status,
    reason: status,
    attempts: 1,
    before,
    at: '2026-11-27T00:00:00Z',
  };
}

describe('writeActionRow', () => {
  it('lets the duplicate that patched replace the one that found nothing to do', async () => {
    await writeActionRow(table, VERSION_KEY, row('run-a', ActionStatus.Skipped, 'after-patch'));
    const stands = await writeActionRow(
      table,
      VERSION_KEY,
      row('run-a', ActionStatus.Applied, 'before-patch'),
    );

    expect(stands.status).toBe(ActionStatus.Applied);
    expect((await readActionRow(table, VERSION_KEY, 'run-a', 'exclude-from-latest'))?.before).toBe(
      'before-patch',
    );
  });

  it('never lets a later duplicate replace the record of the patch', async () => {
    await writeActionRow(table, VERSION_KEY, row('run-b', ActionStatus.Applied, 'before-patch'));
    const stands = await writeActionRow(
      table,
      VERSION_KEY,
      row('run-b', ActionStatus.Skipped, 'after-patch'),
    );
    await writeActionRow(table, VERSION_KEY, row('run-b', ActionStatus.Retrying, 'after-patch'));

    expect(stands.status).toBe(ActionStatus.Applied);
    expect(await readActionRow(table, VERSION_KEY, 'run-b', 'exclude-from-latest')).toMatchObject({
      status: ActionStatus.Applied,
      before: 'before-patch',
    });
  });

  it('replaces a retrying row with the finished one', async () => {
    await writeActionRow(table, VERSION_KEY, row('run-c', ActionStatus.Retrying, 'x'));
    await writeActionRow(table, VERSION_KEY, row('run-c', ActionStatus.Failed, 'y'));

    expect((await readActionRow(table, VERSION_KEY, 'run-c', 'exclude-from-latest'))?.status).toBe(
      ActionStatus.Failed,
    );
  });
});
