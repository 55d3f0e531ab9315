import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { ProbeResult } from './startup-probe';
import { startupEnv } from './startup-env';

/** `node dist/local/bench/startup-probe.js` when compiled; the .ts probe via the test require hook otherwise. */
function probeCommand(): string[] {
  if (__filename.endsWith('.js')) return [join(__dirname, 'startup-probe.js')];
  const root = join(__dirname, '..', '..');
  return [
    '-r',
    join(root, 'test', 'integration', 'chaos', 'register-ts.js'),
    join(__dirname, 'startup-probe.ts'),
  ];
}

/** Loads `entry` in a fresh Node process under STARTUP_SETTINGS and returns what the probe saw. */
export function runStartupProbe(entry: string): ProbeResult {
  const output = execFileSync(process.execPath, [...probeCommand(), entry], {
    env: startupEnv(),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as ProbeResult;
}
