import type { TableClient, TableEntity } from '@azure/data-tables';
import { startArmSimulator, type ArmSimulator } from '../../../local/arm-sim';
import type { RunningAzurite } from '../../../local/azurite';
import { localCredential } from '../../../local/azure/local-token-credential';
import { createServices, type Services } from '../../../shared/app/services';
import { parseImageVersionId } from '../../../shared/arm/resource-id';
import { loadConfig } from '../../../shared/config';
import { ingestVersionSignal } from '../../../shared/events/ingest-version-signal';
import { RUN_TABLE, RunLedger } from '../../../shared/ledger';
import { reconcileRun } from '../../../shared/validation/engine/reconcile-run';
import { Phase } from '../../../shared/validation/run/validation-phase';
import { readProgress } from '../../../shared/validation/run/validation-state';
import { startTestAzurite } from '../../support/local-stack';
import { validationEnv, versionIdOf } from '../validation-harness';

/**
 * Regression (lost wake-up): ingest marks `enqueuedAt` on a fresh run right after sending its queue
 * message, so the message's first claim can lose its ETag race to that write. The engine must look
 * again rather than treat the conflict as another owner's claim and drop the only message.
 */
let sim: ArmSimulator;
let azurite: RunningAzurite;
let services: Services;

beforeAll(async () => {
  [sim, azurite] = await Promise.all([
    startArmSimulator({ timeScale: 300, guests: 'synthetic', onError: () => undefined }),
    startTestAzurite(),
  ]);
  const env = { ...validationEnv(sim), AzureWebJobsStorage: azurite.connectionString };
  services = createServices(loadConfig(env), { credential: localCredential, logSink: () => undefined });
}, 60_000);

afterAll(async () => {
  await azurite?.close();
  await sim?.close();
});

/** The run table, but a rival writes the row just before our first conditional update, as ingest does. */
function rivalBeforeFirstUpdate(table: TableClient): { table: TableClient; rivalWrites: () => number } {
  let writes = 0;
  const proxied = new Proxy(table, {
    get(target, name, receiver) {
      const value: unknown = Reflect.get(target, name, receiver);
      if (name !== 'updateEntity' || typeof value !== 'function') return value;
      return async (entity: TableEntity, ...rest: unknown[]): Promise<unknown> => {
        if (writes === 0) {
          writes++;
          await target.updateEntity(
            {
              partitionKey: entity.partitionKey,
              rowKey: entity.rowKey,
              enqueuedAt: new Date().toISOString(),
            },
            'Merge',
          );
        }
        return (value as (...args: unknown[]) => Promise<unknown>).call(target, entity, ...rest);
      };
    },
  });
  return { table: proxied, rivalWrites: () => writes };
}

describe('a run claim that loses its race to ingest', () => {
  it('is taken on a second look, and the run moves on instead of waiting for the reconciler', async () => {
    const ingested = await ingestVersionSignal(services, {
      eventId: 'evt-claim-race',
      source: 'eventgrid',
      kind: 'write',
      version: parseImageVersionId(versionIdOf('ubuntu-healthy')),
    });
    const run = ingested.run;
    expect(run).toBeDefined();
    const rival = rivalBeforeFirstUpdate(services.storage.table(RUN_TABLE));
    const deps = { ...services.engine(), ledger: new RunLedger(rival.table, services.clock) };

    const outcome = await reconcileRun(deps, run!.key);

    expect(rival.rivalWrites()).toBe(1);
    expect(outcome).not.toBe('busy');
    const row = await services.ledger.getRun(run!.key);
    const progress = readProgress(row!.extra);
    expect(progress.state.steps[Phase.Resolve]).toBeDefined();
  });
});
