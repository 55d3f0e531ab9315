import { createServer } from 'node:net';
import type { ComputeManagementClient } from '@azure/arm-compute';
import { functionDefinitions } from '../../functions/definitions';
import { createServices, type Services } from '../../shared/app/services';
import { createArmClients } from '../../shared/azure/arm-clients';
import { ArmCallLimiter, DEFAULT_LIMITS } from '../../shared/azure/arm-call-limiter';
import { loadConfig, type Config } from '../../shared/config';
import { DEMO } from '../arm-sim/scenarios';
import { localCredential } from '../azure/local-token-credential';
import { startAzurite, type RunningAzurite } from '../azurite';
import { startLocalRunner, type LocalRunner } from '../runner';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process';

export const BENCH_FUNCTION_KEY = 'bench-key';
export const BENCH_GALLERY_ID = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface BenchStack {
  readonly sim: SimulatorProcess;
  readonly azurite: RunningAzurite;
  readonly config: Config;
  readonly services: Services;
  /** Runner instances polling the run queue; the first one serves HTTP for the deliveries. */
  readonly runners: readonly LocalRunner[];
  /** Base URL of the first runner (routes under /api). */
  readonly url: string;
  readonly functionKey: string;
  /** The platform team's client, publishing versions through the SDK (not behind the app's limiter). */
  readonly compute: ComputeManagementClient;
  /** Log lines written, by level. */
  readonly logLevels: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * The offline app as a benchmark drives it: the ARM simulator in its own process (time-scaled,
 * synthetic guests), Azurite in memory, one service graph behind ARM's buckets scaled to the
 * simulated clock, and `instances` local runners serving the real function definitions (timers only
 * on demand; the validation reconciler is triggered every 5 s, as its schedule would).
 * `settings(sim)` supplies the validation settings on top of storage, ARM and the function key.
 * With `eventGridWebhook`, the simulator announces every gallery write to the first runner, as Event
 * Grid would; without, only what the caller posts reaches the app.
 */
export async function startBenchStack(options: {
  timeScale: number;
  instances: number;
  settings: (sim: SimulatorProcess) => Record<string, string>;
  logLevel?: string;
  eventGridWebhook?: boolean;
}): Promise<BenchStack> {
  const port = options.eventGridWebhook === true ? await freePort() : 0;
  // The simulator runs in its own process so that it does not share a CPU core with the engine.
  const sim = await startSimulatorProcess({
    timeScale: options.timeScale,
    ...(port === 0
      ? {}
      : { webhookUrl: `http://127.0.0.1:${port}/api/events/eventgrid?code=${BENCH_FUNCTION_KEY}` }),
  });
  let azurite: RunningAzurite | undefined;
  const runners: LocalRunner[] = [];
  try {
    azurite = await startAzurite({ inMemory: true });
    const config = loadConfig({
      AzureWebJobsStorage: azurite.connectionString,
      GG_ARM_ENDPOINT: sim.endpoint,
      GG_ARM_CA_CERT_PATH: sim.caCertPath,
      GG_GALLERY_SCOPES: BENCH_GALLERY_ID,
      GG_VALIDATION_SUBSCRIPTION_ID: DEMO.subscriptionId,
      GG_VALIDATION_RESOURCE_GROUP: DEMO.validationResourceGroup,
      GG_DEFAULT_MODE: 'report-only',
      GG_LOCAL_FUNCTION_KEY: BENCH_FUNCTION_KEY,
      GG_LOG_LEVEL: options.logLevel ?? 'info',
      ...options.settings(sim),
    });
    const logLevels: Record<string, number> = {};
    const scaled = (ratePerSecond: number, burst: number) => ({
      ratePerSecond: ratePerSecond * options.timeScale,
      burst,
    });
    const services = createServices(config, {
      credential: localCredential,
      logSink: (level, line) => {
        logLevels[level] = (logLevels[level] ?? 0) + 1;
        if (process.env.BENCH_DEBUG === 'log') process.stderr.write(`${line}\n`);
      },
      // ARM's rate limits are per simulated second here: scale the limiter's buckets with the clock.
      limiter: new ArmCallLimiter({
        ...DEFAULT_LIMITS,
        buckets: { read: scaled(25, 250), write: scaled(10, 200), delete: scaled(10, 200) },
      }),
    });
    for (let i = 0; i < options.instances; i++) {
      runners.push(
        await startLocalRunner({
          definitions: functionDefinitions(services),
          functionKey: BENCH_FUNCTION_KEY,
          port: i === 0 ? port : 0,
          queue: services.storage.queue,
          logger: services.logger,
          queuePollIntervalMs: 25,
          queueBatchSize: 16,
          runTimersOnSchedule: false,
        }),
      );
    }
    const reconciler = setInterval(
      () => void runners[0]!.triggerTimer('validation-reconciler').catch(() => undefined),
      5000,
    );
    const started = azurite;
    return {
      sim,
      azurite,
      config,
      services,
      runners,
      url: runners[0]!.url,
      functionKey: BENCH_FUNCTION_KEY,
      compute: createArmClients(config, DEMO.subscriptionId, localCredential).compute,
      logLevels,
      close: async () => {
        clearInterval(reconciler);
        for (const r of runners) await r.close();
        await started.close();
        await sim.close();
      },
    };
  } catch (error) {
    for (const r of runners) await r.close();
    await azurite?.close();
    await sim.close();
    throw error;
  }
}
