/**
 * One conditional-write store: production code (functions/, shared/) writes Table Storage only through
 * shared/azure/table-store.ts, so every table raises the same domain errors and no retry is unbounded.
 * A call of a TableClient write method anywhere else fails this test.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const STORE = 'shared/azure/table-store.ts';
const WRITE_CALL =
  /\.\s*(createEntity|updateEntity|upsertEntity|deleteEntity|submitTransaction)\s*(<[^>()]*>)?\s*\(/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** `file:line method` for every Table write call in `source`. */
function tableWritesIn(file: string, source: string): string[] {
  return [...source.matchAll(WRITE_CALL)].map((m) => {
    const line = source.slice(0, m.index).split('\n').length;
    return `${file}:${line} ${m[1]}`;
  });
}

const files = ['functions', 'shared'].flatMap((top) =>
  sourceFiles(path.join(ROOT, top)).map((full) => ({
    file: path.relative(ROOT, full).split(path.sep).join('/'),
    source: readFileSync(full, 'utf8'),
  })),
);

describe('Table writes', () => {
  it('reads every production file, the store among them', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files.map((f) => f.file)).toContain(STORE);
  });

  it('happen only in the conditional-write store', () => {
    const elsewhere = files.filter((f) => f.file !== STORE).flatMap((f) => tableWritesIn(f.file, f.source));
    expect(elsewhere).toEqual([]);
  });

  it('are all found in the store itself', () => {
    const store = files.find((f) => f.file === STORE)!;
    const methods = new Set(tableWritesIn(STORE, store.source).map((w) => w.split(' ')[1]));
    expect([...methods].sort()).toEqual([
      'createEntity',
      'deleteEntity',
      'submitTransaction',
      'updateEntity',
      'upsertEntity',
    ]);
  });

  it('are recognised however the call is spelled', () => {
    const sample = [
      'await table.createEntity({ partitionKey, rowKey });',
      'await this.table.updateEntity<Row>(entity, "Replace", { etag });',
      'await client\n  .upsertEntity(entity);',
      'table.deleteEntity(pk, rk);',
      'table.submitTransaction(actions);',
      'const name = "createEntity is mentioned in prose";',
    ].join('\n');
    expect(tableWritesIn('x.ts', sample)).toEqual([
      'x.ts:1 createEntity',
      'x.ts:2 updateEntity',
      'x.ts:4 upsertEntity',
      'x.ts:5 deleteEntity',
      'x.ts:6 submitTransaction',
    ]);
  });
});
