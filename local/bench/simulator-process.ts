import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isValidationLeftover, type LiveResource } from '../arm-sim/control';

/** The ARM simulator in its own process (own CPU core), driven through its admin API. */
export interface SimulatorProcess {
  readonly endpoint: string;
  readonly caCertPath: string;
  admin<T>(method: string, path: string): Promise<T>;
  /** Validation VMs, NICs and disks the simulator still holds (created through ARM calls). */
  leftovers(): Promise<LiveResource[]>;
  close(): Promise<void>;
}

/** `node dist/local/arm-sim/main.js` when compiled; the .ts entry via the test require hook otherwise. */
function simulatorCommand(): string[] {
  if (__filename.endsWith('.js')) return [join(__dirname, '..', 'arm-sim', 'main.js')];
  const root = join(__dirname, '..', '..');
  return [
    '-r',
    join(root, 'test', 'integration', 'chaos', 'register-ts.js'),
    join(root, 'local', 'arm-sim', 'main.ts'),
  ];
}

export function startSimulatorProcess(options: {
  timeScale: number;
  /** Where gallery writes are announced (Event Grid schema); none when absent. */
  webhookUrl?: string;
  /** GG_SIM_ARM_BUCKETS: ARM's subscription buckets the simulator enforces (default Azure's). */
  armBuckets?: string;
  /** Seed of the simulator's PRNG (default 1). */
  seed?: number;
}): Promise<SimulatorProcess> {
  const caCertPath = join(mkdtempSync(join(tmpdir(), 'gg-bench-')), 'ca.pem');
  const child: ChildProcess = spawn(process.execPath, simulatorCommand(), {
    env: {
      ...process.env,
      GG_SIM_PORT: '0',
      GG_SIM_TIME_SCALE: String(options.timeScale),
      GG_SIM_SCENARIO: 'demo',
      // Hundreds of VMs: the benchmark measures the engine, not cloud-init.
      GG_SIM_GUESTS: 'synthetic',
      GG_SIM_CA_PATH: caCertPath,
      GG_SIM_SEED: String(options.seed ?? 1),
      ...(options.webhookUrl === undefined ? {} : { GG_SIM_EVENTGRID_WEBHOOK: options.webhookUrl }),
      ...(options.armBuckets === undefined ? {} : { GG_SIM_ARM_BUCKETS: options.armBuckets }),
      GG_SIM_QUIET: '1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`simulator exited (${code})`)));
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (https:\/\/[^\s]+)/.exec(out);
      if (match === null) return;
      child.stdout!.removeAllListeners('data');
      child.stdout!.resume();
      const endpoint = match[1]!;
      const ca = readFileSync(caCertPath, 'utf8');
      const admin = <T>(method: string, path: string): Promise<T> =>
        new Promise<T>((ok, fail) => {
          const req = request(`${endpoint}/_sim${path}`, { method, ca }, (res) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString()));
            res.on('end', () => {
              try {
                ok(JSON.parse(body) as T);
              } catch (error) {
                fail(error instanceof Error ? error : new Error(String(error)));
              }
            });
          });
          req.on('error', fail);
          req.end();
        });
      resolve({
        endpoint,
        caCertPath,
        admin,
        leftovers: async () =>
          (await admin<{ value: LiveResource[] }>('GET', '/resources?origin=api')).value.filter(
            isValidationLeftover,
          ),
        close: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}
