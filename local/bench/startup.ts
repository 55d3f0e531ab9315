/**
 * `npm run bench:startup`: the cold load of the Functions entry, bundled (dist/bundle/index.js, what
 * package.json "main" names) against unbundled (tsc's dist/functions/index.js), side by side in one
 * run. Each sample is a fresh Node process that loads the entry as the worker does (startup-probe.ts);
 * the two builds alternate so that load from other processes on the machine hits both alike.
 * Targets (issue 10): the bundle loads at most 60 modules, in at most 40 % of the unbundled load time.
 */
import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, relative } from 'node:path';
import { percentile } from './bench-metrics';
import { runStartupProbe } from './run-startup-probe';
import type { ProbeResult } from './startup-probe';

const ROOT = join(__dirname, '..', '..', '..');
const BUILDS = {
  unbundled: join(ROOT, 'dist', 'functions', 'index.js'),
  bundled: join(ROOT, 'dist', 'bundle', 'index.js'),
} as const;
const MAX_MODULES = 60;
const MAX_LOAD_RATIO = 0.4;

type Build = keyof typeof BUILDS;

const median = (values: readonly number[]): number => percentile(values, 50);
const ms = (value: number): string => `${value.toFixed(0)} ms`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(2)} MiB`;
const names = (result: ProbeResult): string =>
  result.functions.map((f) => `${f.name}:${f.trigger}`).join(',');

function sample(runs: number): Record<Build, ProbeResult[]> {
  const samples: Record<Build, ProbeResult[]> = { unbundled: [], bundled: [] };
  for (let i = 0; i < runs; i++) {
    // Alternate which build goes first, so neither always follows the other's disk and CPU use.
    const order: Build[] = i % 2 === 0 ? ['unbundled', 'bundled'] : ['bundled', 'unbundled'];
    for (const build of order) samples[build].push(runStartupProbe(BUILDS[build]));
  }
  return samples;
}

function main(): void {
  const runs = Number(process.env.RUNS ?? 11);
  const load = loadavg()[0]!;
  console.log(`bench:startup: ${runs} fresh processes per build, load average ${load.toFixed(2)}`);
  const samples = sample(runs);
  const stat = (build: Build) => {
    const results = samples[build];
    return {
      modules: median(results.map((r) => r.modules.length)),
      wall: median(results.map((r) => r.loadMs)),
      cpu: median(results.map((r) => r.cpuMs)),
      rss: median(results.map((r) => r.rssMiB)),
      functions: results[0]!.functions.length,
    };
  };
  const u = stat('unbundled');
  const b = stat('bundled');
  const ratio = (bundled: number, unbundled: number) => `${((100 * bundled) / unbundled).toFixed(0)} %`;
  const rows: [string, string, string, string][] = [
    ['', 'unbundled (tsc)', 'bundled (esbuild)', 'bundled / unbundled'],
    ['entry', relative(ROOT, BUILDS.unbundled), relative(ROOT, BUILDS.bundled), ''],
    ['modules loaded', String(u.modules), String(b.modules), ''],
    ['load time, wall (median)', ms(u.wall), ms(b.wall), ratio(b.wall, u.wall)],
    ['load time, CPU (median)', ms(u.cpu), ms(b.cpu), ratio(b.cpu, u.cpu)],
    ['RSS after load (median)', `${u.rss.toFixed(1)} MiB`, `${b.rss.toFixed(1)} MiB`, ratio(b.rss, u.rss)],
    ['functions registered', String(u.functions), String(b.functions), ''],
    ['bundle file', '', mib(statSync(BUILDS.bundled).size), ''],
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));

  const sameFunctions = samples.bundled.every((r) => names(r) === names(samples.unbundled[0]!));
  const checks: [string, boolean][] = [
    [`bundled and unbundled register the same functions`, sameFunctions],
    [`bundled loads ≤ ${MAX_MODULES} modules (${b.modules})`, b.modules <= MAX_MODULES],
    [
      `bundled load time ≤ ${MAX_LOAD_RATIO * 100} % of unbundled (${ratio(b.wall, u.wall)})`,
      b.wall <= MAX_LOAD_RATIO * u.wall,
    ],
  ];
  for (const [check, ok] of checks) console.log(`${ok ? 'met' : 'MISSED'}: ${check}`);
  if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
}

main();
