import { TableClient } from '@azure/data-tables';
import type { RunningAzurite } from '../../local/azurite';
import {
  RowChangedError,
  RowContendedError,
  RowExistsError,
  TableStore,
  type StoredRow,
} from '../../shared/azure/table-store';
import { startTestAzurite } from '../support/local-stack';
import { withRivalWriter } from '../support/rival-writer';

/** The conditional-write store every table goes through, against Azurite's real 409/412 answers. */

interface Counter {
  count: number;
  writers: string;
  rival?: number;
}

let azurite: RunningAzurite;
const TABLE = 'tablestoretest';

function client(): TableClient {
  return TableClient.fromConnectionString(azurite.connectionString, TABLE, { allowInsecureConnection: true });
}

beforeAll(async () => {
  azurite = await startTestAzurite();
  await client().createTable();
});

afterAll(async () => {
  await azurite?.close();
});

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the write to be rejected');
}

describe('TableStore', () => {
  it('inserts a row once; the second insert (409) is RowExistsError carrying the stored row', async () => {
    const store = new TableStore<Counter>(client());
    const etag = await store.insertIfAbsent({ partitionKey: 'insert', rowKey: 'r', count: 1, writers: 'a' });

    const error = await rejection(
      store.insertIfAbsent({ partitionKey: 'insert', rowKey: 'r', count: 2, writers: 'b' }),
    );

    expect(error).toBeInstanceOf(RowExistsError);
    const existing = (error as RowExistsError<Counter>).existing;
    expect(existing).toMatchObject({ partitionKey: 'insert', rowKey: 'r', count: 1, writers: 'a', etag });
    expect((error as Error).cause).toMatchObject({ statusCode: 409 });
    expect(await store.get('insert', 'r')).toMatchObject({ count: 1, writers: 'a' });
  });

  it('replaces by ETag; a stale ETag (412) is RowChangedError carrying the current row', async () => {
    const store = new TableStore<Counter>(client());
    const first = await store.insertIfAbsent({
      partitionKey: 'replace',
      rowKey: 'r',
      count: 1,
      writers: 'a',
    });
    const second = await store.replaceIfMatch(
      { partitionKey: 'replace', rowKey: 'r', count: 2, writers: 'b' },
      first,
    );
    expect(second).not.toBe(first);

    const error = await rejection(
      store.replaceIfMatch({ partitionKey: 'replace', rowKey: 'r', count: 9, writers: 'stale' }, first),
    );

    expect(error).toBeInstanceOf(RowChangedError);
    expect((error as RowChangedError<Counter>).current).toMatchObject({
      count: 2,
      writers: 'b',
      etag: second,
    });
    expect((error as Error).cause).toMatchObject({ statusCode: 412 });
    expect(await store.get('replace', 'r')).toMatchObject({ count: 2, writers: 'b' });
  });

  it('merges by ETag, keeping the columns it does not name', async () => {
    const store = new TableStore<Partial<Counter>>(client());
    const etag = await store.insertIfAbsent({ partitionKey: 'merge', rowKey: 'r', count: 1, writers: 'a' });
    await store.replaceIfMatch({ partitionKey: 'merge', rowKey: 'r', count: 2 }, etag, 'Merge');
    expect(await store.get('merge', 'r')).toMatchObject({ count: 2, writers: 'a' });
  });

  it('reports a replace of a row that is gone as RowChangedError without a row', async () => {
    const store = new TableStore<Counter>(client());
    const etag = await store.insertIfAbsent({ partitionKey: 'gone', rowKey: 'r', count: 1, writers: 'a' });
    expect(await store.deleteIfMatch('gone', 'r', etag)).toBe(true);

    const error = await rejection(
      store.replaceIfMatch({ partitionKey: 'gone', rowKey: 'r', count: 2, writers: 'b' }, etag),
    );

    expect(error).toBeInstanceOf(RowChangedError);
    expect((error as RowChangedError<Counter>).current).toBeUndefined();
    expect(await store.get('gone', 'r')).toBeUndefined();
  });

  it('deletes only at the ETag it was given; a row already gone is not an error', async () => {
    const store = new TableStore<Counter>(client());
    const first = await store.insertIfAbsent({ partitionKey: 'delete', rowKey: 'r', count: 1, writers: 'a' });
    await store.replaceIfMatch({ partitionKey: 'delete', rowKey: 'r', count: 2, writers: 'b' }, first);

    const error = await rejection(store.deleteIfMatch('delete', 'r', first));
    expect(error).toBeInstanceOf(RowChangedError);
    expect((error as RowChangedError<Counter>).current).toMatchObject({ count: 2 });

    expect(await store.deleteIfMatch('delete', 'r')).toBe(true);
    expect(await store.deleteIfMatch('delete', 'r')).toBe(false);
  });

  it('mutate inserts when absent, replaces when present and leaves the row when decide says so', async () => {
    const store = new TableStore<Counter>(client());
    const bump = (writer: string) => (current: StoredRow<Counter> | undefined) => ({
      partitionKey: 'mutate',
      rowKey: 'r',
      count: (current?.count ?? 0) + 1,
      writers: `${current?.writers ?? ''}${writer}`,
    });
    const inserted = await store.mutate('mutate', 'r', bump('a'));
    const replaced = await store.mutate('mutate', 'r', bump('b'));
    const kept = await store.mutate('mutate', 'r', () => undefined);

    expect(inserted).toMatchObject({ written: true, row: { count: 1 } });
    expect(replaced).toMatchObject({ written: true, row: { count: 2, writers: 'ab' } });
    expect(kept).toMatchObject({ written: false, row: { count: 2, writers: 'ab' }, etag: replaced.etag });
    expect((await store.get('mutate', 'r'))?.etag).toBe(replaced.etag);
  });

  it('mutate gives up after maxTries lost races with RowContendedError carrying the last row seen', async () => {
    const rival = withRivalWriter(client(), client());
    const store = new TableStore<Counter>(rival.table);
    await new TableStore<Counter>(client()).insertIfAbsent({
      partitionKey: 'hot',
      rowKey: 'r',
      count: 0,
      writers: '',
    });
    let decisions = 0;

    const error = await rejection(
      store.mutate(
        'hot',
        'r',
        (current) => {
          decisions++;
          return { partitionKey: 'hot', rowKey: 'r', count: (current?.count ?? 0) + 1, writers: 'us' };
        },
        4,
      ),
    );

    expect(error).toBeInstanceOf(RowContendedError);
    expect(error).toMatchObject({ partitionKey: 'hot', rowKey: 'r', tries: 4 });
    expect((error as RowContendedError<Counter>).current).toMatchObject({ count: 0, rival: 4 });
    expect(decisions).toBe(4);
    expect(rival.rivalWrites()).toBe(4);
    expect(await store.get('hot', 'r')).toMatchObject({ count: 0, writers: '' });
  });

  it('mutate loses an insert race to a rival and decides again from the row that won', async () => {
    const rival = withRivalWriter(client(), client());
    const store = new TableStore<Counter>(rival.table);
    const seen: (number | undefined)[] = [];

    const error = await rejection(
      store.mutate(
        'insert-race',
        'r',
        (current) => {
          seen.push(current?.rival);
          return { partitionKey: 'insert-race', rowKey: 'r', count: 1, writers: 'us' };
        },
        2,
      ),
    );

    // First round saw no row (insert, 409); second saw the rival's row (replace, 412).
    expect(seen).toEqual([undefined, 1]);
    expect((error as RowContendedError<Counter>).cause).toBeInstanceOf(RowChangedError);
  });

  it('lands every one of many concurrent mutates exactly once', async () => {
    const writers = Array.from({ length: 16 }, (_, i) => `w${String(i).padStart(2, '0')};`);
    let decisions = 0;
    // Each round one writer wins, so nobody loses more than writers.length - 1 races.
    const results = await Promise.all(
      writers.map((writer) =>
        new TableStore<Counter>(client()).mutate(
          'concurrent',
          'r',
          (current) => {
            decisions++;
            if (current?.writers.includes(writer)) return undefined;
            const count = (current?.count ?? 0) + 1;
            return {
              partitionKey: 'concurrent',
              rowKey: 'r',
              count,
              writers: `${current?.writers ?? ''}${writer}`,
            };
          },
          writers.length,
        ),
      ),
    );

    const stored = await new TableStore<Counter>(client()).get('concurrent', 'r');
    expect(results.every((r) => r.written)).toBe(true);
    // All 16 read the row before any write lands, so races were lost and decided again (86 on a run here).
    expect(decisions).toBeGreaterThan(writers.length);
    expect(stored?.count).toBe(writers.length);
    expect(stored?.writers.split(';').filter(Boolean).sort()).toEqual(writers.map((w) => w.slice(0, -1)));
  });

  it('lists rows by filter and upserts unconditionally', async () => {
    const store = new TableStore<Counter>(client());
    await store.upsert({ partitionKey: 'list', rowKey: 'a', count: 1, writers: 'x' });
    await store.upsert({ partitionKey: 'list', rowKey: 'a', count: 5, writers: 'y' });
    await store.upsert({ partitionKey: 'list', rowKey: 'b', count: 2, writers: 'z' });

    const rows: StoredRow<Counter>[] = [];
    for await (const row of store.list("PartitionKey eq 'list'", ['RowKey', 'count'])) rows.push(row);

    expect(rows.map((r) => [r.rowKey, r.count, r.writers])).toEqual([
      ['a', 5, undefined],
      ['b', 2, undefined],
    ]);
  });
});
