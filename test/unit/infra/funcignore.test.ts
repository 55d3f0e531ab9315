/**
 * .funcignore decides what `azd deploy` and `func azure functionapp publish` put in the deployment
 * package, in .gitignore syntax
 * (https://learn.microsoft.com/azure/developer/azure-developer-cli/service-packaging-ignore-files).
 * Only what the Functions host loads may ship: host.json, package.json and the bundle. git's own
 * matcher (`git check-ignore`) judges every file a checkout holds after `npm ci && npm run build`.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { DASHBOARD_FOLDER, LAZY_CHUNKS } from '../../../local/build/bundle-functions';

const ROOT = join(__dirname, '..', '..', '..');

function tracked(): string[] {
  return execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n');
}

/** The dashboard's files as the bundle build copies them (dist/bundle/dashboard/...). */
const bundledDashboard = (sources: readonly string[]): string[] =>
  sources.filter((f) => f.startsWith(`${DASHBOARD_FOLDER}/`)).map((f) => `dist/bundle/${f}`);

/** Files `npm run build` writes: tsc's dist/ for every source, the bundle with its chunks and the dashboard. */
function built(sources: readonly string[]): string[] {
  const tsc = sources
    .filter((f) => /^(functions|shared|local)\/.*\.ts$/.test(f))
    .flatMap((f) => [`dist/${f.replace(/\.ts$/, '.js')}`, `dist/${f.replace(/\.ts$/, '.js.map')}`]);
  const bundle = ['index', ...LAZY_CHUNKS.map((f) => basename(f, '.ts'))].flatMap((name) => [
    `dist/bundle/${name}.js`,
    `dist/bundle/${name}.js.map`,
  ]);
  return [...tsc, ...bundle, ...bundledDashboard(sources)];
}

/** What a developer's checkout holds besides: dependencies, local settings and state, editor files. */
const LOCAL = [
  'node_modules/@azure/functions/package.json',
  'node_modules/.bin/tsc',
  'local.settings.json',
  '.azurite/__azurite_db_table__.json',
  '.local/arm-sim/ca.pem',
  '.azure/gg-prod/.env',
  '.vscode/settings.json',
  'coverage/lcov.info',
];

function shipped(paths: readonly string[]): string[] {
  const repo = mkdtempSync(join(tmpdir(), 'gg-funcignore-'));
  execFileSync('git', ['init', '-q', repo]);
  copyFileSync(join(ROOT, '.funcignore'), join(repo, '.gitignore'));
  const result = spawnSync(
    'git',
    ['-c', 'core.excludesFile=/dev/null', '-C', repo, 'check-ignore', '--no-index', '--stdin'],
    { input: paths.join('\n') + '\n', encoding: 'utf8' },
  );
  // check-ignore exits 1 when it ignores nothing, 128 on an error.
  rmSync(repo, { recursive: true, force: true });
  if (result.status !== 0 && result.status !== 1) throw new Error(`git check-ignore: ${result.stderr}`);
  const ignored = new Set(result.stdout.split('\n'));
  return paths.filter((p) => !ignored.has(p)).sort();
}

describe('.funcignore', () => {
  const sources = tracked();
  const everything = [...sources, ...built(sources), ...LOCAL];

  it('ships host.json, package.json and the bundle with its chunks, source maps and dashboard, nothing else', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(bundledDashboard(sources)).toContain('dist/bundle/dashboard/index.html');
    expect(shipped(everything)).toEqual([
      'dist/bundle/arm-sdks.js',
      'dist/bundle/arm-sdks.js.map',
      'dist/bundle/azure-monitor-sdk.js',
      'dist/bundle/azure-monitor-sdk.js.map',
      ...bundledDashboard(sources).sort(),
      'dist/bundle/eventgrid-sdk.js',
      'dist/bundle/eventgrid-sdk.js.map',
      'dist/bundle/identity-sdk.js',
      'dist/bundle/identity-sdk.js.map',
      'dist/bundle/index.js',
      'dist/bundle/index.js.map',
      'dist/bundle/metrics-sdk.js',
      'dist/bundle/metrics-sdk.js.map',
      'dist/bundle/pretty-line.js',
      'dist/bundle/pretty-line.js.map',
      'dist/bundle/storage-sdks.js',
      'dist/bundle/storage-sdks.js.map',
      'host.json',
      'package.json',
    ]);
  });

  it('ships the file package.json "main" names', () => {
    const { main } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
    expect(shipped([main])).toEqual([main]);
  });
});
