import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './eventually';

const ROOT = join(__dirname, '..', '..');
/** Runs the TypeScript sources in a plain node process (the transform jest uses), no build needed. */
const REGISTER = join(ROOT, 'test', 'integration', 'chaos', 'register-ts.js');
const START = join(ROOT, 'local', 'start.ts');

export interface StartedInstance {
  readonly port: number;
  /** Everything the process printed so far (stdout and stderr), as the terminal would show it. */
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<void>;
  readonly exited: Promise<number | null>;
  /** Ctrl+C, then SIGKILL if it does not stop. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the runner's host). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `npm start` (local/start.ts) in its own working directory (a copy of host.json and the sample
 * settings, so Azurite's data and the simulator's CA stay out of the repository), optionally on a
 * pseudo-terminal through util-linux `script`, which is what a person at a terminal gives it.
 */
export function startInstance(options: {
  port: number;
  tty: boolean;
  env?: Readonly<Record<string, string>>;
}): StartedInstance {
  const cwd = mkdtempSync(join(tmpdir(), 'gg-npm-start-'));
  for (const file of ['host.json', 'local.settings.sample.json'])
    copyFileSync(join(ROOT, file), join(cwd, file));
  const env: Record<string, string | undefined> = {
    ...process.env,
    GG_LOCAL_PORT: String(options.port),
    ...options.env,
  };
  for (const name of Object.keys(env))
    if (name.startsWith('GG_') && !(name in (options.env ?? {})) && name !== 'GG_LOCAL_PORT')
      delete env[name];
  const command = [process.execPath, '-r', REGISTER, START];
  const child: ChildProcess = options.tty
    ? spawn('script', ['-q', '-e', '-c', command.join(' '), '/dev/null'], { cwd, env, detached: true })
    : spawn(command[0]!, command.slice(1), { cwd, env, detached: true });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const signal = (name: NodeJS.Signals): void => {
    // The whole process group: script, node, and the Azurite node it started.
    if (!done && child.pid !== undefined) process.kill(-child.pid, name);
  };
  return {
    port: options.port,
    output: () => text,
    waitFor: async (pattern, timeoutMs) => {
      await eventually(
        () => pattern.test(text) || (done ? Promise.reject(new Error(`exited early:\n${text}`)) : false),
        {
          timeoutMs,
          intervalMs: 250,
          what: `${String(pattern)} in the output of npm start on port ${options.port}`,
        },
      ).catch((error: unknown) => {
        throw new Error(
          `${error instanceof Error ? error.message : String(error)}\n--- output ---\n${text.slice(-3000)}`,
        );
      });
    },
    exited,
    stop: async () => {
      signal('SIGINT');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise((r) => setTimeout(() => r(false), 15_000).unref()),
      ]);
      if (stopped !== true) {
        signal('SIGKILL');
        await exited;
      }
    },
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Terminal output as lines, without colours or carriage returns. */
export function screenLines(text: string): string[] {
  return text
    .replace(ANSI, '')
    .split(/\r?\n/)
    .map((l) => l.replace(/\r/g, ''))
    .filter((l) => l.trim() !== '');
}

export function isJsonObject(line: string): boolean {
  try {
    const value = JSON.parse(line) as unknown;
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}
