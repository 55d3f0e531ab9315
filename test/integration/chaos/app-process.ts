import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/**
 * The function app as its own OS process (the local runner serving the real function definitions),
 * bundled once with esbuild so each of the many restarts takes a fraction of a second. Only the app
 * dies on SIGKILL: the simulator and Azurite live elsewhere.
 */
export async function bundleAppWorker(): Promise<string> {
  // Inside the repository, so the bundle's require() of external packages finds node_modules.
  const cache = join(__dirname, '..', '..', '..', 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  const outfile = join(mkdtempSync(join(cache, 'gg-chaos-')), 'app-worker.js');
  await build({
    entryPoints: [join(__dirname, 'app-worker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'error',
  });
  return outfile;
}

export interface AppProcess {
  readonly child: ChildProcess;
  readonly startedAt: number;
  readonly readyAt: number;
  /** SIGKILL now (synchronous: the signal is sent before this returns); resolves on exit. */
  kill(): Promise<void>;
}

export function startApp(script: string, env: Record<string, string>, stderr: string[]): Promise<AppProcess> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [script], {
    cwd: join(__dirname, '..', '..', '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr.push(chunk.toString());
    if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const early = (code: number | null): void =>
      reject(new Error(`app exited early (${code}): ${stderr.join('')}`));
    child.once('exit', early);
    child.stdout.on('data', (chunk: Buffer) => {
      if (!chunk.toString().includes('ready')) return;
      child.removeListener('exit', early);
      resolve({
        child,
        startedAt,
        readyAt: Date.now(),
        kill: () => {
          child.kill('SIGKILL');
          return exited;
        },
      });
    });
  });
}
