// `npm start`: the whole service offline. Starts each local service (Azurite, ...), then serves the
// real function definitions on http://localhost:$GG_LOCAL_PORT/api (7071) like `func start` would.
import { functionDefinitions } from '../functions/definitions';
import { ConfigError, loadConfig } from '../shared/config';
import { readSetting } from '../shared/config/setting';
import { ingest } from '../shared/config/settings';
import { createServices, resolveLogFormat } from '../shared/app/services';
import { createLogger } from '../shared/logging/logger';
import { azuriteService } from './azurite-service';
import { createConsoleOutput, type ConsoleOutput } from './console-output';
import { armSimulatorService } from './demo/arm-simulator-service';
import type { LocalService, StartedLocalService } from './local-service';
import { loadLocalSettings } from './local-settings';
import { startLocalRunner } from './runner';
import { assertPortFree, isAddressInUse, PortBusyError } from './runner/port';
import { notificationSinksService } from './sinks/notification-sinks-service';
import { startupBanner } from './startup-banner';
import { localCredential } from './azure/local-token-credential';
import { loadLocalConfig, localSettings } from './local-config';

/** Started in order; each may add settings for the ones after it and for the functions. */
const LOCAL_SERVICES: readonly LocalService[] = [
  azuriteService,
  notificationSinksService,
  armSimulatorService,
];
const HOST = '127.0.0.1';

function earlyOutput(env: Record<string, string | undefined>): ConsoleOutput {
  let format: 'json' | 'pretty' = 'json';
  try {
    format = resolveLogFormat(readSetting(ingest.logFormat, env));
  } catch {
    // loadConfig reports the bad setting below
  }
  return createConsoleOutput(format, createLogger({ format }));
}

async function main(
  output: ConsoleOutput,
  env: Record<string, string | undefined>,
  file: string,
): Promise<void> {
  const local = loadLocalConfig(env);
  const { port } = local;
  // Fail before starting anything when another instance holds the port.
  await assertPortFree(port, HOST, localSettings.port.name);
  const started: StartedLocalService[] = [];
  const stopAll = async (): Promise<void> => {
    for (const service of started.reverse()) await service.close().catch(() => undefined);
  };
  try {
    for (const service of LOCAL_SERVICES) {
      const running = await service.start(env, { output, port });
      if (running === undefined) continue;
      started.push(running);
      Object.assign(env, running.env);
    }
    const config = loadConfig(env);
    const services = createServices(config, { credential: localCredential });
    const definitions = functionDefinitions(services);
    const runner = await startLocalRunner({
      definitions,
      functionKey: local.functionKey,
      host: HOST,
      port,
      queue: services.storage.queue,
      logger: services.logger,
      appSettings: env,
    }).catch((error: unknown) => {
      throw isAddressInUse(error) ? new PortBusyError(port, localSettings.port.name) : error;
    });
    output.say(startupBanner({ file, runnerUrl: runner.url, definitions, config, local, started }), {
      url: runner.url,
    });
    for (const service of started) {
      service.afterStart?.({ runnerUrl: runner.url, config, local, output }).catch((error: unknown) => {
        output.fail(`after start: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
    const shutdown = (): void => {
      void runner
        .close()
        .then(stopAll)
        .finally(() => process.exit(0));
    };
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

const { env, file } = loadLocalSettings();
const output = earlyOutput(env);
main(output, env, file).catch((error: unknown) => {
  const known = error instanceof PortBusyError || error instanceof ConfigError;
  output.fail(
    error instanceof Error ? (known ? error.message : `${error.name}: ${error.message}`) : String(error),
  );
  process.exit(1);
});
