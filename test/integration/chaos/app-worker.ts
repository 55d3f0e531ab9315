/**
 * The function app in a child process for the chaos suite: the local runner serving the real function
 * definitions (queue trigger on gg-runs), with the reconciler timer fired every few hundred ms. The
 * parent SIGKILLs it at chosen points and starts another. Warnings and errors go to stderr as JSON.
 */
import { functionDefinitions } from '../../../functions/definitions';
import { startLocalRunner } from '../../../local/runner';
import { loadConfig } from '../../../shared/config';
import { createServices } from '../../../shared/app/services';
import { localCredential } from '../../../local/azure/local-token-credential';
import { loadLocalConfig } from '../../../local/local-config';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const services = createServices(config, {
    credential: localCredential,
    logSink: (_level, line) => void process.stderr.write(`${line}\n`),
    logFormat: 'json',
  });
  const runner = await startLocalRunner({
    definitions: functionDefinitions(services),
    functionKey: loadLocalConfig(process.env).functionKey,
    queue: services.storage.queue,
    logger: services.logger,
    queuePollIntervalMs: 50,
    queueRetryVisibilityMs: 500,
    runTimersOnSchedule: false,
  });
  setInterval(() => {
    runner.triggerTimer('validation-reconciler').catch(() => undefined);
  }, 300);
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
