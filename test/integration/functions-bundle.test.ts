/**
 * The bundle the Functions host loads (package.json "main"): esbuild builds it, a fresh Node process
 * loads it the way the Functions worker does (serving `@azure/functions-core`), and it registers the
 * functions of functions/definitions, from one file. The ARM and identity SDKs stay out of it, in
 * chunks of their own that load on first use. Timing is `npm run bench:startup`'s business, not this
 * test's.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionDefinitions } from '../../functions/definitions';
import type { FunctionDefinition } from '../../functions/function-definition';
import { createServices } from '../../shared/app/services';
import { loadConfig } from '../../shared/config';
import { runStartupProbe } from '../../local/bench/run-startup-probe';
import type { ProbeResult } from '../../local/bench/startup-probe';
import { STARTUP_SETTINGS } from '../../local/bench/startup-env';
import { bundleFunctions, type BundleResult } from '../../local/build/bundle-functions';

const ROOT = join(__dirname, '..', '..');
const BINDING: Record<FunctionDefinition['trigger']['type'], string> = {
  http: 'httpTrigger',
  queue: 'queueTrigger',
  timer: 'timerTrigger',
};

const outdir = mkdtempSync(join(tmpdir(), 'gg-bundle-'));
let bundle: BundleResult;
let loaded: ProbeResult;

beforeAll(async () => {
  bundle = await bundleFunctions(outdir);
  loaded = runStartupProbe(bundle.entry);
}, 120_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the Functions bundle', () => {
  it('is the entry package.json names as "main"', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/bundle/index.js');
    expect(bundle.entry.endsWith('/index.js')).toBe(true);
  });

  it('registers the functions of functions/definitions with app.*, with their triggers', () => {
    const definitions = functionDefinitions(createServices(loadConfig(STARTUP_SETTINGS)));
    const expected = definitions.map((d) => ({ name: d.name, trigger: BINDING[d.trigger.type] }));
    expect(expected.length).toBeGreaterThan(5);
    expect(loaded.functions).toEqual(expected);
  });

  it('loads as one file: nothing from node_modules or the sources at start-up', () => {
    expect(loaded.modules).toEqual([bundle.entry]);
  });

  it('holds no ARM or identity SDK code; their chunks load on their own and export the classes', () => {
    const inEntry = bundle.inputs['index.js'] ?? [];
    expect(inEntry.length).toBeGreaterThan(100);
    expect(inEntry.filter((input) => /@azure\/(arm-compute|arm-network|identity|msal)/.test(input))).toEqual(
      [],
    );
    const chunks = {
      'arm-sdks.js': ['ComputeManagementClient', 'NetworkManagementClient'],
      'identity-sdk.js': ['DefaultAzureCredential'],
    };
    for (const [chunk, exports] of Object.entries(chunks)) {
      const file = join(bundle.entry, '..', chunk);
      const probed = runStartupProbe(file);
      expect({ chunk, modules: probed.modules, exports: [...probed.exports].sort() }).toEqual({
        chunk,
        modules: [file],
        exports,
      });
    }
  });
});
