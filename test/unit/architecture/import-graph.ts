import path from 'node:path';

/**
 * The layers of production code, foundations first. A file may import its own layer and any layer
 * listed before it. Folders nested in a listed folder belong to the deepest listed one.
 */
export const LAYERS = [
  'shared/arm',
  'shared/runtime',
  'shared/config',
  'shared/logging',
  'shared/telemetry',
  'shared/azure',
  'shared/gallery',
  'shared/policy',
  // Guest inventories, their diff against the baseline and the diff rules: read by verdict and notify.
  'shared/inventory',
  'shared/ledger',
  'shared/verdict',
  'shared/notify',
  'shared/remediation',
  // Gate mode's regional rollout and roll back: built on the remediation actions.
  'shared/rollout',
  'shared/validation/vm',
  'shared/validation/guest',
  'shared/validation/run',
  'shared/validation/phases',
  'shared/validation/engine',
  'shared/events',
  // The governance audit reads validation state, the ledger and notify; only app composes it.
  'shared/audit',
  'shared/operator',
  'shared/dashboard',
  'shared/app',
  'functions',
] as const;

export interface ImportEdge {
  /** Folder of the importing file, relative to the repository root. */
  readonly from: string;
  /** Folder (or file, for a file at the top) the import resolves to. */
  readonly to: string;
  readonly file: string;
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

/** Relative imports of one source file, resolved to the folder they point into. */
export function importsOf(file: string, source: string): ImportEdge[] {
  const from = path.posix.dirname(file);
  return [...source.matchAll(IMPORT)].map((m) => {
    const spec = m[1] ?? m[2] ?? '';
    const target = path.posix.normalize(path.posix.join(from, spec));
    return { from, to: path.posix.dirname(target) === '.' ? target : path.posix.dirname(target), file };
  });
}

export function layerOf(folder: string): { name: string; rank: number } | undefined {
  let best: { name: string; rank: number } | undefined;
  LAYERS.forEach((name, rank) => {
    const inside = folder === name || folder.startsWith(`${name}/`);
    if (inside && (best === undefined || name.length > best.name.length)) best = { name, rank };
  });
  return best;
}

/** Every cycle among layers and unlisted folders (each once, as `a -> b -> a`), by depth-first search. */
export function folderCycles(edges: readonly ImportEdge[]): string[] {
  // A folder nested in a layer (notify/actions) is part of that layer's concept.
  const node = (folder: string): string => layerOf(folder)?.name ?? folder;
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    const [from, to] = [node(e.from), node(e.to)];
    if (from === to) continue;
    const set = next.get(from) ?? new Set<string>();
    set.add(to);
    next.set(from, set);
  }
  const cycles = new Set<string>();
  const visit = (node: string, trail: string[]): void => {
    const at = trail.indexOf(node);
    if (at >= 0) {
      const loop = trail.slice(at);
      const start = loop.indexOf([...loop].sort()[0] ?? node);
      const canonical = [...loop.slice(start), ...loop.slice(0, start)];
      cycles.add([...canonical, canonical[0]].join(' -> '));
      return;
    }
    if (trail.length > 40) return;
    for (const to of next.get(node) ?? []) visit(to, [...trail, node]);
  };
  for (const node of next.keys()) visit(node, []);
  return [...cycles].sort();
}
