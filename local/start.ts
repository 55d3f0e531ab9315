// `npm start`: the whole service offline. Starts each local service (Azurite, ...), then serves the
// real function definitions on http://localhost:7071/api like `func start` would.
import { functionDefinitions } from '../functions/definitions';
import { loadConfig } from '../shared/config';
import { createServices } from '../shared/app/services';
import { azuriteService } from './azurite-service';
import { armSimulatorService } from './demo/arm-simulator-service';
import type { LocalService, StartedLocalService } from './local-service';
import { loadLocalSettings } from './local-settings';
import { startLocalRunner } from './runner';
import { notificationSinksService } from './sinks/notification-sinks-service';
import { startupBanner } from './startup-banner';
import { localCredential } from './azure/local-token-credential';

/** Started in order; each may add settings for the ones after it and for the functions. */
const LOCAL_SERVICES: readonly LocalService[] = [
  azuriteService,
  notificationSinksService,
  armSimulatorService,
];
const PORT = 7071;

async function main(): Promise<void> {
  const { env, file } = loadLocalSettings();
  const started: StartedLocalService[] = [];
  const stopAll = async (): Promise<void> => {
    for (const service of started.reverse()) await service.close().catch(() => undefined);
  };
  try {
    for (const service of LOCAL_SERVICES) {
      const running = await service.start(env);
      if (running === undefined) continue;
      started.push(running);
      Object.assign(env, running.env);
    }
    const config = loadConfig(env);
    const services = createServices(config, { credential: localCredential });
    const definitions = functionDefinitions(services);
    const runner = await startLocalRunner({
      definitions,
      functionKey: config.local.functionKey,
      port: PORT,
      queue: services.storage.queue,
      logger: services.logger,
    });
    console.log(startupBanner({ file, runnerUrl: runner.url, definitions, config, started }));
    for (const service of started) {
      const print = (...lines: string[]): void => lines.forEach((line) => console.log(line));
      service.afterStart?.({ runnerUrl: runner.url, config, print }).catch((error: unknown) => {
        console.error(`after start: ${error instanceof Error ? error.message : String(error)}`);
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
