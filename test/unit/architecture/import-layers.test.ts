/**
 * Concepts import in one direction. Every relative import in functions/ and shared/ is read from the
 * source; a folder may import only itself and the folders listed before it in LAYERS, and production
 * code never imports local/ or test/. Folder-level cycles are reported separately, so a new folder
 * that is not yet in LAYERS still cannot close a loop.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LAYERS, importsOf, layerOf, folderCycles, type ImportEdge } from './import-graph';

const ROOT = path.resolve(__dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const productionFiles = ['functions', 'shared'].flatMap((top) => sourceFiles(path.join(ROOT, top)));

const edges: ImportEdge[] = ['functions', 'shared'].flatMap((top) =>
  sourceFiles(path.join(ROOT, top)).flatMap((file) =>
    importsOf(path.relative(ROOT, file).split(path.sep).join('/'), readFileSync(file, 'utf8')),
  ),
);

describe('import layers', () => {
  it('reads the imports of every production file', () => {
    expect(edges.length).toBeGreaterThan(300);
  });

  it('never imports local/ or test/ from production code', () => {
    const offline = edges.filter((e) => /^(local|test)\//.test(e.to)).map((e) => `${e.from} -> ${e.to}`);
    expect(offline).toEqual([]);
  });

  it('places every production folder in a layer', () => {
    const unplaced = [...new Set(edges.flatMap((e) => [e.from, e.to]))]
      .filter((f) => /^(shared|functions)\//.test(f))
      .filter((f) => layerOf(f) === undefined);
    expect(unplaced).toEqual([]);
  });

  it('imports only from its own folder or a folder below it', () => {
    const upward = edges
      .filter((e) => /^(shared|functions)\//.test(e.to))
      .filter((e) => {
        const from = layerOf(e.from);
        const to = layerOf(e.to);
        return from !== undefined && to !== undefined && to.rank > from.rank;
      })
      .map((e) => `${e.from} -> ${e.to} (${layerOf(e.from)?.name} may not import ${layerOf(e.to)?.name})`);
    expect(upward).toEqual([]);
  });

  it('has no folder-level import cycle', () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  it('constructs credentials and ARM clients in one module only', () => {
    const constructing = productionFiles
      .filter((file) =>
        /new (DefaultAzureCredential|ComputeManagementClient|NetworkManagementClient)\b/.test(
          readFileSync(file, 'utf8'),
        ),
      )
      .map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
    expect(constructing).toEqual(['shared/azure/arm-clients.ts']);
  });

  it('lists the layers from the foundations up', () => {
    expect(LAYERS[0]).toBe('shared/arm');
    expect(LAYERS.at(-1)).toBe('functions');
  });
});

describe('import graph helpers', () => {
  it('finds a cycle and an upward import in a made-up graph', () => {
    const made = [
      ...importsOf('shared/ledger/a.ts', "import { b } from '../validation/engine/b';"),
      ...importsOf('shared/validation/engine/b.ts', "import type { A } from '../../ledger/a';"),
    ];
    expect(made.map((e) => e.to)).toEqual(['shared/validation/engine', 'shared/ledger']);
    expect(folderCycles(made)).toEqual(['shared/ledger -> shared/validation/engine -> shared/ledger']);
    expect(layerOf('shared/validation/engine')!.rank).toBeGreaterThan(layerOf('shared/ledger')!.rank);
  });
});
