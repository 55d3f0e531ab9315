import { TableClient, type TransactionAction } from '@azure/data-tables';
import type { RunningAzurite } from '../../local/azurite';
import { RUN_INDEX_TABLE, RunIndex, indexEntity, type IndexedRun } from '../../shared/ledger/run-index';
import { RunLedger } from '../../shared/ledger/run-ledger';
import { RunState } from '../../shared/ledger/run-state';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { startTestAzurite } from '../support/local-stack';

const SUB = '00000000-0000-0000-0000-0000000000aa';
const RUNS = 10_000;
const START = Date.parse('2026-09-10T00:00:00Z');
const STEP_MS = 11 * 60_000; // 10,000 runs over ~76 days: three month partitions
const NOW = new Date(START + RUNS * STEP_MS + 60_000);
const STATES = [RunState.Passed, RunState.Failed, RunState.Inconclusive, RunState.Passed] as const;

let azurite: RunningAzurite;
const requests: string[] = [];

function table(name: string, counted = false): TableClient {
  const client = TableClient.fromConnectionString(azurite.connectionString, name, {
    allowInsecureConnection: true,
  });
  if (counted)
    client.pipeline.addPolicy({
      name: 'count-requests',
      sendRequest: (request, next) => (requests.push(decodeURIComponent(request.url)), next(request)),
    });
  return client;
}

function seedRun(i: number): IndexedRun {
  const gallery = i % 2 === 0 ? 'gallery_a' : 'gallery_b';
  const image = `image-${i % 50}`;
  const version = `1.${Math.floor(i / 50)}.0`;
  const versionId = `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/${gallery}/images/${image}/versions/${version}`;
  const ref = parseImageVersionId(versionId);
  const state = STATES[i % STATES.length]!;
  const at = new Date(START + i * STEP_MS).toISOString();
  return {
    runId: `${ref.key.replace(/\//g, '~2f')}/0001`,
    versionId,
    galleryKey: ref.galleryKey,
    gallery,
    image,
    version,
    attempt: 1,
    state,
    verdict: state,
    phase: 'Complete',
    firstSeenAt: at,
    updatedAt: at,
  };
}

const seeded = Array.from({ length: RUNS }, (_, i) => seedRun(i));

beforeAll(async () => {
  azurite = await startTestAzurite();
  const seed = table(RUN_INDEX_TABLE);
  await seed.createTable();
  // The oldest run goes through the real writer (meta row and all); the rest in batches of 100 rows.
  const ledgerTable = table('ggrunsseed');
  await ledgerTable.createTable();
  const first = seeded[0]!;
  const ledger = new RunLedger(ledgerTable, () => new Date(first.firstSeenAt), new RunIndex(seed));
  const run = await ledger.insertRun({
    version: parseImageVersionId(first.versionId),
    versionId: first.versionId,
    attempt: 1,
    source: 'test',
    eventId: 'seed',
  });
  await ledger.updateRun(run, { state: first.state, extra: { phase: 'Complete', verdict: first.state } });
  const byPartition = new Map<string, TransactionAction[]>();
  for (const entry of seeded.slice(1)) {
    const entity = indexEntity(entry);
    const list = byPartition.get(entity.partitionKey) ?? [];
    list.push([
      'create',
      entity as unknown as Record<string, unknown> & { partitionKey: string; rowKey: string },
    ]);
    byPartition.set(entity.partitionKey, list);
  }
  for (const actions of byPartition.values()) {
    for (let i = 0; i < actions.length; i += 100) {
      await seed.submitTransaction(actions.slice(i, i + 100));
    }
  }
}, 120_000);

afterAll(async () => {
  await azurite?.close();
});

const queries = (): string[] => requests.filter((url) => url.includes('$filter'));

describe('listing runs from the run index', () => {
  it('pages through 10,000 runs newest first, one Table query per page, never a partition scan', async () => {
    const index = new RunIndex(table(RUN_INDEX_TABLE, true));
    requests.length = 0;
    const listed: IndexedRun[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await index.list({ limit: 200, continuationToken: token }, NOW);
      listed.push(...page.runs);
      token = page.continuationToken;
      pages++;
    } while (token !== undefined);

    expect(listed).toHaveLength(RUNS);
    expect(new Set(listed.map((r) => r.runId)).size).toBe(RUNS);
    const times = listed.map((r) => r.firstSeenAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(pages).toBe(50);
    // Each page is one query of one month partition (plus one per month boundary crossed).
    expect(queries().length).toBeLessThanOrEqual(pages + 3);
    expect(queries().every((url) => /PartitionKey eq 't-\d{4}-\d\d'/.test(url))).toBe(true);
    // Only the index table was read (besides its one create): no run rows, no version partitions.
    const reads = requests.filter((url) => !/\/Tables$/.test(url));
    expect(reads.every((url) => url.includes(`/${RUN_INDEX_TABLE}(`))).toBe(true);
    console.log(
      `10,000 runs: ${pages} pages, ${queries().length} Table queries, ${requests.length} requests`,
    );
  });

  it('filters by state, gallery, image and since inside the Table service', async () => {
    const index = new RunIndex(table(RUN_INDEX_TABLE, true));
    const since = new Date('2026-11-01T00:00:00Z');
    const expected = seeded
      .filter((r) => r.state === RunState.Failed && r.gallery === 'gallery_b' && r.image === 'image-13')
      .filter((r) => r.firstSeenAt >= since.toISOString())
      .map((r) => r.runId)
      .reverse();
    expect(expected.length).toBeGreaterThan(5);
    requests.length = 0;
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await index.list(
        {
          state: RunState.Failed,
          gallery: 'GALLERY_B',
          image: 'image-13',
          since,
          limit: 4,
          continuationToken: token,
        },
        NOW,
      );
      listed.push(...page.runs.map((r) => r.runId));
      token = page.continuationToken;
    } while (token !== undefined);
    expect(listed).toEqual(expected);
    expect(queries().every((url) => url.includes("state eq 'Failed'") && url.includes('RowKey le'))).toBe(
      true,
    );
  });

  it('refuses a continuation token it did not hand out', async () => {
    const index = new RunIndex(table(RUN_INDEX_TABLE));
    await expect(index.list({ limit: 10, continuationToken: 'bm90IGEgdG9rZW4' }, NOW)).rejects.toThrow(
      /continuationToken/,
    );
  });
});

describe('keeping the index in step with the run rows', () => {
  const version = parseImageVersionId(
    `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1/images/img/versions/2.0.0`,
  );
  let clockMs = Date.parse('2026-12-01T10:00:00Z');
  const clock = (): Date => new Date((clockMs += 1000));

  async function fresh(name: string): Promise<{ ledger: RunLedger; bare: RunLedger; index: RunIndex }> {
    const runs = table(`${name}runs`);
    await runs.createTable();
    const index = new RunIndex(table(`${name}idx`));
    return { ledger: new RunLedger(runs, clock, index), bare: new RunLedger(runs, clock), index };
  }

  it('indexes a new run as active and drops it from the active rows once its workflow is complete', async () => {
    const { ledger, index } = await fresh('step');
    const run = await ledger.insertRun({
      version,
      versionId: `/${version.key.slice(1)}`,
      attempt: 1,
      source: 's',
      eventId: 'e',
    });
    expect((await index.listActive()).map((r) => [r.runId, r.state])).toEqual([[run.runId, 'Queued']]);
    const running = await ledger.updateRun(run, { state: RunState.Running, extra: { phase: 'AwaitReady' } });
    expect((await index.listActive())[0]?.phase).toBe('AwaitReady');
    await ledger.updateRun(running, {
      state: RunState.Passed,
      extra: { phase: 'Complete', verdict: 'Passed' },
    });
    expect(await index.listActive()).toEqual([]);
    const { runs } = await index.list({ limit: 10 }, new Date(clockMs));
    expect(runs.map((r) => [r.state, r.verdict, r.phase])).toEqual([['Passed', 'Passed', 'Complete']]);
  });

  it('never puts an older projection over a newer one', async () => {
    const { ledger, index } = await fresh('order');
    const queued = await ledger.insertRun({
      version,
      versionId: `/${version.key.slice(1)}`,
      attempt: 1,
      source: 's',
      eventId: 'e',
    });
    await ledger.updateRun(queued, {
      state: RunState.Failed,
      extra: { phase: 'Complete', verdict: 'Failed' },
    });
    await index.record(queued); // a slow writer arriving late with the Queued row
    const { runs } = await index.list({ limit: 10 }, new Date(clockMs));
    expect(runs.map((r) => r.state)).toEqual(['Failed']);
    expect(await index.listActive()).toEqual([]);
  });

  it('heals a run whose index write was lost (crash between the two writes) on the next reindex', async () => {
    const { ledger, bare, index } = await fresh('heal');
    const queued = await ledger.insertRun({
      version,
      versionId: `/${version.key.slice(1)}`,
      attempt: 1,
      source: 's',
      eventId: 'e',
    });
    const done = await bare.updateRun(queued, {
      state: RunState.Failed,
      extra: { phase: 'Complete', verdict: 'Failed' },
    });
    expect((await index.listActive()).map((r) => r.state)).toEqual(['Queued']); // stale, as after a crash
    await ledger.reindex(done);
    expect(await index.listActive()).toEqual([]);
    expect((await index.list({ limit: 10 }, new Date(clockMs))).runs[0]?.state).toBe('Failed');
  });
});
