/**
 * `npm run build` (after tsc): bundles the Functions entry (functions/index.ts) with esbuild into
 * dist/bundle/index.js, the file package.json "main" names, so that a cold worker reads one file
 * instead of hundreds of modules from node_modules (`npm run bench:startup` measures both). tsc
 * stays the type checker and still builds dist/ for the local tooling (`npm start`, the simulator,
 * the benchmarks).
 *
 * - `@azure/functions` is bundled; only `@azure/functions-core` stays a `require`: it is not an npm
 *   package but the worker's built-in API, which the worker serves by intercepting
 *   Module.prototype.require (Azure/azure-functions-nodejs-library#201;
 *   azure-functions-nodejs-worker src/setupCoreModule.ts). Without the worker the library falls back
 *   to its test mode, as it does unbundled.
 * - Packages resolve to their ES module builds (esbuild's default for `import`), which esbuild can
 *   tree-shake; the few that read import.meta.url get the bundle's own file URL.
 * - Modules that production code loads on first use with `require` (LAZY_CHUNKS) become files of
 *   their own next to the entry, so that the bundle keeps that laziness.
 * - Minified (less to read and parse at start-up: about 5 points of the unbundled load time less
 *   than with only whitespace and syntax minified, measured side by side), with keepNames: functions and classes keep their
 *   `name`, which stack traces show and some SDKs compare (`constructor.name === "..."`). The
 *   source maps (index.js.map, shipped with it) map positions back to the TypeScript sources under
 *   `node --enable-source-maps`.
 */
import { build, type BuildOptions, type Metafile, type Plugin } from 'esbuild';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';

/** The repository root, from the compiled file (dist/local/build) or from the source (local/build). */
const ROOT = resolve(__dirname, __filename.endsWith('.js') ? '../../..' : '../..');

/** Modules required on first use (shared/azure/lazy-sdks.ts, shared/telemetry/telemetry.ts); each is bundled into `<outdir>/<name>.js`. */
export const LAZY_CHUNKS: readonly string[] = [
  'shared/azure/arm-sdks.ts',
  'shared/azure/identity-sdk.ts',
  'shared/telemetry/azure-monitor-sdk.ts',
  'shared/telemetry/metrics-sdk.ts',
  'shared/azure/storage-sdks.ts',
  'shared/events/eventgrid-sdk.ts',
  'shared/logging/pretty-line.ts',
];

/**
 * The dashboard's static files (shared/dashboard serves them) are copied next to the bundle, into
 * `<outdir>/dashboard/`, because the deployment package holds only dist/bundle (see .funcignore);
 * findDashboardFolder looks upwards from the bundle's folder and finds them there first.
 */
export const DASHBOARD_FOLDER = 'dashboard';

/** Every file under `folder`, relative and `/`-separated. */
export function filesUnder(folder: string, prefix = ''): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const name = prefix === '' ? entry : `${prefix}/${entry}`;
    return statSync(join(folder, entry)).isDirectory() ? filesUnder(join(folder, entry), name) : [name];
  });
}

/** The worker's built-in module (see above); the only `require` left to resolve at run time. */
const FUNCTIONS_CORE = '@azure/functions-core';

export interface BundleResult {
  /** The entry the Functions host loads (package.json "main" when outdir is dist/bundle). */
  readonly entry: string;
  /** Every output file, absolute. */
  readonly files: readonly string[];
  /** Source inputs (relative to the repository root) in each output, keyed by output file name. */
  readonly inputs: Readonly<Record<string, readonly string[]>>;
}

/** A relative `require` of a lazy chunk stays a `require` of the chunk's own file. */
function lazyChunks(root: string): Plugin {
  const chunks = new Map(LAZY_CHUNKS.map((file) => [resolve(root, file), basename(file, '.ts')]));
  return {
    name: 'lazy-chunks',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'require-call') return undefined;
        const chunk = chunks.get(resolve(args.resolveDir, args.path) + '.ts');
        return chunk === undefined ? undefined : { path: `./${chunk}.js`, external: true };
      });
    },
  };
}

export function bundleOptions(outdir: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: [
      { in: 'functions/index.ts', out: 'index' },
      ...LAZY_CHUNKS.map((file) => ({ in: file, out: basename(file, '.ts') })),
    ],
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: [FUNCTIONS_CORE],
    plugins: [lazyChunks(ROOT)],
    // CommonJS output has no import.meta; the ES module builds that read import.meta.url get the
    // URL of the bundle file they now live in.
    banner: { js: 'var import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    define: { 'import.meta.url': 'import_meta_url' },
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  };
}

function inputsByOutput(metafile: Metafile, outdir: string): Record<string, string[]> {
  const byOutput: Record<string, string[]> = {};
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    byOutput[relative(outdir, resolve(ROOT, file))] = Object.keys(output.inputs);
  }
  return byOutput;
}

export async function bundleFunctions(outdir = join(ROOT, 'dist', 'bundle')): Promise<BundleResult> {
  const options = bundleOptions(outdir);
  const result = await build(options);
  const dashboard = join(outdir, DASHBOARD_FOLDER);
  rmSync(dashboard, { recursive: true, force: true });
  cpSync(join(ROOT, DASHBOARD_FOLDER), dashboard, { recursive: true });
  return {
    entry: join(outdir, 'index.js'),
    files: [
      ...Object.keys(result.metafile?.outputs ?? {}).map((file) => resolve(ROOT, file)),
      ...filesUnder(dashboard).map((file) => join(dashboard, file)),
    ],
    inputs: result.metafile === undefined ? {} : inputsByOutput(result.metafile, resolve(outdir)),
  };
}

if (require.main === module) {
  bundleFunctions().then(
    ({ files }) => console.log(`bundled ${files.map((f) => relative(ROOT, f)).join(', ')}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
