import { TableClient } from '@azure/data-tables';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import type { FunctionDefinition } from '../../functions/function-definition';
import { functionDefinitions } from '../../functions/definitions';
import { startAzurite, type RunningAzurite } from '../../local/azurite';
import { startLocalRunner, type LocalRunner, type LocalRunnerOptions } from '../../local/runner';
import { loadConfig, type Config } from '../../shared/config';
import type { LogSink } from '../../shared/logging/logger';
import type { Clock } from '../../shared/runtime/clock';
import { createServices, type Services } from '../../shared/app/services';
import { FIXTURE_GALLERY_ID } from './event-payloads';
import { localCredential } from '../../local/azure/local-token-credential';
import { loadLocalConfig } from '../../local/local-config';
import { startArmSimulator, type ArmSimulator } from '../../local/arm-sim';
import { simGallery, type SimGallery } from './sim-gallery';

export const TEST_FUNCTION_KEY = 'test-function-key';

/** Starts Azurite in memory on free ports (close it in afterAll). */
export function startTestAzurite(): Promise<RunningAzurite> {
  return startAzurite({ inMemory: true });
}

/** One structured log line, parsed. */
export type LogLine = Record<string, unknown> & { level: string; message: string };

export interface LocalStackOptions {
  /** Extra/overriding app settings (the stack supplies storage, scopes, function key). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Defaults to functionDefinitions(services): the real list. */
  readonly definitions?: (services: Services) => readonly FunctionDefinition[];
  /** Runner knobs (poll intervals etc.); defaults suit tests: 50 ms queue polls, 1 s retry. */
  readonly runner?: Partial<Omit<LocalRunnerOptions, 'definitions' | 'functionKey'>>;
  readonly clock?: Clock;
  /** Reuse an Azurite you started; the stack then does not close it. */
  readonly azurite?: RunningAzurite;
}

export interface LocalStack {
  readonly azurite: RunningAzurite;
  /** The ARM simulator the stack started (empty scenario) when `env` named no GG_ARM_ENDPOINT. */
  readonly sim?: ArmSimulator;
  /** Publishes/deletes versions in that simulator (throws when the stack started none). */
  readonly gallery: SimGallery;
  readonly runner: LocalRunner;
  readonly services: Services;
  readonly config: Config;
  /** Base URL of the runner (routes under /api). */
  readonly url: string;
  readonly functionKey: string;
  /** Every log line written so far, parsed (services and runner). */
  readonly logs: LogLine[];
  /** `<url>/api/<route>` with `?code=<key>` unless `key: null`. */
  apiUrl(route: string, options?: { key?: string | null }): string;
  /** POSTs JSON (or raw text) to a route; returns status, headers and parsed JSON body (if any). */
  post(
    route: string,
    body: unknown,
    options?: { key?: string | null; headers?: Record<string, string>; raw?: boolean },
  ): Promise<{ status: number; headers: Headers; json: unknown }>;
  table(name: string): TableClient;
  queue(name: string): QueueClient;
  close(): Promise<void>;
}

/**
 * Azurite + services + local runner serving the real function definitions on free ports, with logs
 * captured. Integration tests of every area can reuse it (pass `env` for their settings and
 * `definitions` to add or replace functions).
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const azurite = options.azurite ?? (await startTestAzurite());
  const logs: LogLine[] = [];
  const sink: LogSink = (_level, line) => logs.push(JSON.parse(line) as LogLine);
  // Every signal is checked against ARM, so ingest needs one: the simulator unless the caller has one.
  let sim: ArmSimulator | undefined;
  try {
    if (options.env?.GG_ARM_ENDPOINT === undefined) {
      sim = await startArmSimulator({ scenario: 'empty', timeScale: 600, onError: () => undefined });
    }
    const env = {
      AzureWebJobsStorage: azurite.connectionString,
      GG_GALLERY_SCOPES: FIXTURE_GALLERY_ID,
      GG_LOCAL_FUNCTION_KEY: TEST_FUNCTION_KEY,
      GG_LOG_LEVEL: 'debug',
      ...(sim === undefined
        ? {}
        : {
            GG_ARM_ENDPOINT: sim.endpoint,
            GG_ARM_CA_CERT_PATH: sim.caCertPath,
            GG_ARM_POLL_INTERVAL_MS: '5',
          }),
      ...options.env,
    };
    const config = loadConfig(env);
    const localConfig = loadLocalConfig(env);
    const services = createServices(config, {
      credential: localCredential,
      logSink: sink,
      logFormat: 'json',
      clock: options.clock,
    });
    const definitions = (options.definitions ?? functionDefinitions)(services);
    const runner = await startLocalRunner({
      definitions,
      functionKey: localConfig.functionKey,
      queue: services.storage.queue,
      logger: services.logger,
      queuePollIntervalMs: 50,
      queueRetryVisibilityMs: 1000,
      runTimersOnSchedule: false,
      ...options.runner,
    });
    const apiUrl = (route: string, opts: { key?: string | null } = {}): string => {
      const url = new URL(`/api/${route.replace(/^\//, '')}`, runner.url);
      const key = opts.key === undefined ? localConfig.functionKey : opts.key;
      if (key !== null) url.searchParams.set('code', key);
      return url.toString();
    };
    const noSimulator = (): Promise<never> =>
      Promise.reject(new Error('this stack uses an ARM endpoint it did not start'));
    return {
      azurite,
      sim,
      gallery: sim === undefined ? { publish: noSimulator, remove: noSimulator } : simGallery(sim),
      runner,
      services,
      config,
      url: runner.url,
      functionKey: localConfig.functionKey,
      logs,
      apiUrl,
      post: async (route, body, opts = {}) => {
        const response = await fetch(apiUrl(route, { key: opts.key }), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...opts.headers },
          body: opts.raw === true ? String(body) : JSON.stringify(body),
        });
        const text = await response.text();
        let json: unknown;
        try {
          json = text.length > 0 ? JSON.parse(text) : undefined;
        } catch {
          json = text;
        }
        return { status: response.status, headers: response.headers, json };
      },
      table: (name) =>
        TableClient.fromConnectionString(azurite.connectionString, name, { allowInsecureConnection: true }),
      queue: (name) => QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient(name),
      close: async () => {
        await runner.close();
        if (options.azurite === undefined) await azurite.close();
        await sim?.close();
      },
    };
  } catch (error) {
    if (options.azurite === undefined) await azurite.close();
    await sim?.close();
    throw error;
  }
}
