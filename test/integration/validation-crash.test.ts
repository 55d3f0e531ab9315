import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startArmSimulator, type ArmSimulator } from '../../local/arm-sim';
import { seededRandom } from '../../local/arm-sim/faults';
import type { RunningAzurite } from '../../local/azurite';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { loadConfig } from '../../shared/config';
import { ingestVersionSignal } from '../../shared/events/ingest-version-signal';
import { isTerminalRunState } from '../../shared/ledger';
import { createServices, type Services } from '../../shared/app/services';
import { Phase } from '../../shared/validation/run/validation-phase';
import { runHash } from '../../shared/validation/vm/validation-resources';
import { readProgress } from '../../shared/validation/run/validation-state';
import { eventually } from '../support/eventually';
import { startTestAzurite } from '../support/local-stack';
import { validationEnv, versionIdOf } from './validation-harness';
import { localCredential } from '../../local/azure/local-token-credential';

/**
 * Acceptance: the function app is SIGKILLed at random points (seeded), again and again; every run still
 * reaches its verdict, each run creates exactly one set of VMs, and nothing is left behind.
 */
const TRIALS = 22;
const EXPECTED: Record<string, string> = {
  'ubuntu-healthy': 'Passed',
  'ubuntu-cloned': 'Failed',
  'ubuntu-kernel-panic': 'Failed',
  'ubuntu-agent-stuck': 'Failed',
  'windows-specialized': 'Passed',
  'windows-healthy': 'Passed',
};
const WORKER = join(__dirname, 'validation-kill', 'worker.ts');
const REGISTER = join(__dirname, 'validation-kill', 'register-ts.js');

let sim: ArmSimulator;
let azurite: RunningAzurite;
let services: Services;
let env: Record<string, string>;
/** Names of VMs the simulator saw created (first PUT of a name). */
const vmCreates: string[] = [];

function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-r', REGISTER, WORKER], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function runRows(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for await (const row of services.storage.table('ggruns').listEntities<Record<string, unknown>>())
    rows.push(row);
  return rows;
}

beforeAll(async () => {
  sim = await startArmSimulator({ timeScale: 300, guests: 'synthetic', onError: () => undefined });
  const put = sim.sim.store.put.bind(sim.sim.store);
  sim.sim.store.put = (resource, origin) => {
    if (/virtualMachines$/i.test(resource.type) && !sim.sim.store.has(resource.id))
      vmCreates.push(resource.name);
    return put(resource, origin);
  };
  azurite = await startTestAzurite();
  env = {
    ...validationEnv(sim, {
      GG_VALIDATION_CLAIM_SECONDS: '2',
      GG_RECONCILE_GRACE_MS: '300',
      GG_VALIDATION_POLL_MS: '200',
    }),
    AzureWebJobsStorage: azurite.connectionString,
    GG_LOG_LEVEL: 'error',
  };
  services = createServices(loadConfig(env), { credential: localCredential, logSink: () => undefined });
  for (const image of Object.keys(EXPECTED)) {
    await ingestVersionSignal(services, {
      eventId: `evt-${image}`,
      source: 'eventgrid',
      kind: 'write',
      version: parseImageVersionId(versionIdOf(image)),
    });
  }
}, 60_000);

afterAll(async () => {
  await azurite?.close();
  await sim?.close();
});

describe('validation when the function app is killed at random points', () => {
  it(`reaches every verdict, one set of VMs per run, nothing left (${TRIALS} kills)`, async () => {
    const random = seededRandom(20261127);
    for (let trial = 0; trial < TRIALS; trial++) {
      const worker = await startWorker();
      // The kill point is the experiment's random variable, not a synchronisation.
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 1200)));
      await kill(worker);
    }
    const worker = await startWorker();
    try {
      const rows = await eventually(
        async () => {
          const all = await runRows();
          const done = all.filter(
            (r) =>
              isTerminalRunState(r.state as never) &&
              readProgress(r as Record<string, string>).phase === Phase.Complete,
          );
          return done.length === Object.keys(EXPECTED).length ? all : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 250, what: 'every run to complete' },
      );
      for (const row of rows) {
        const image = parseImageVersionId(String(row.versionId)).image;
        expect([image, row.state]).toEqual([image, EXPECTED[image]]);
        const runId = `${String(row.partitionKey)}/${String(row.rowKey)}`;
        const state = readProgress(row as Record<string, string>).state;
        const created = vmCreates.filter((n) => n.startsWith(`gg-${runHash(runId)}-`));
        // Exactly the planned VMs were created, each once (no duplicate set after a crash).
        expect(created.sort()).toEqual(state.vms.map((v) => v.name).sort());
      }
      const left = sim
        .liveResources({ origin: 'api' })
        .filter((r) => /virtualMachines|networkInterfaces|disks/i.test(r.type));
      expect(left).toEqual([]);
    } finally {
      await kill(worker);
    }
  }, 180_000);
});
