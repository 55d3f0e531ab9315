import type { QueueClient } from '@azure/storage-queue';
import type {
  FunctionDefinition,
  HttpFunctionDefinition,
  QueueFunctionDefinition,
  TimerFunctionDefinition,
} from '../../functions/function-definition';
import { MAX_BODY_BYTES } from '../../functions/http-body';
import { createLogger, type Logger } from '../../shared/logging/logger';
import { systemClock, type Clock } from '../../shared/runtime/clock';
import { readHostQueueSettings } from './host-json';
import { startHttpHost } from './http-host';
import { startQueueTrigger, type QueueDriver } from './queue-trigger';
import { startTimer, type TimerDriver } from './timer-trigger';

export interface LocalRunnerOptions {
  /** The same list the Functions host registers (functions/definitions.ts). */
  readonly definitions: readonly FunctionDefinition[];
  /** Key required for authLevel function/admin (`?code=` or `x-functions-key`). */
  readonly functionKey: string;
  /** Default 0 (a free port); `npm start` uses GG_LOCAL_PORT (7071, like `func start`). */
  readonly port?: number;
  readonly host?: string;
  /** Queue clients for queue triggers (from shared/azure/storage-clients); required if any exist. */
  readonly queue?: (name: string) => QueueClient;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** host.json to read queue settings from (default ./host.json); the options below override it. */
  readonly hostJsonPath?: string;
  readonly queuePollIntervalMs?: number;
  readonly queueBatchSize?: number;
  readonly maxDequeueCount?: number;
  readonly queueRetryVisibilityMs?: number;
  readonly queueLeaseMs?: number;
  /** App settings for `%Name%` timer schedules. */
  readonly appSettings?: Readonly<Record<string, string | undefined>>;
  /** Fire timers on their schedules (default true); tests often prefer triggerTimer only. */
  readonly runTimersOnSchedule?: boolean;
  readonly maxBodyBytes?: number;
}

export interface LocalRunner {
  /** Base URL, e.g. http://127.0.0.1:7071 (routes are under /api). */
  readonly url: string;
  readonly port: number;
  /** Runs the named timer function now; resolves when it finished (rejects if it threw). */
  triggerTimer(name: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Serves the function definitions offline: HTTP triggers on /api/<route> with function-key checks,
 * queue triggers polled from Storage queues with the host's retry/poison semantics, and timer triggers
 * on their NCRONTAB schedules. Same handlers as in Azure, built with real @azure/functions objects.
 */
export async function startLocalRunner(options: LocalRunnerOptions): Promise<LocalRunner> {
  const logger = options.logger ?? createLogger();
  const clock = options.clock ?? systemClock;
  const http = options.definitions.filter((d): d is HttpFunctionDefinition => d.trigger.type === 'http');
  const queues = options.definitions.filter((d): d is QueueFunctionDefinition => d.trigger.type === 'queue');
  const timers = options.definitions.filter((d): d is TimerFunctionDefinition => d.trigger.type === 'timer');
  const queueClient = options.queue;
  if (queues.length > 0 && queueClient === undefined) {
    throw new Error(
      `Queue functions (${queues.map((q) => q.name).join(', ')}) need the runner's queue option`,
    );
  }

  const hostQueues = readHostQueueSettings(options.hostJsonPath);
  const host = await startHttpHost({
    functions: http,
    functionKey: options.functionKey,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    logger,
  });
  const queueDrivers: QueueDriver[] =
    queueClient === undefined
      ? []
      : queues.map((definition) =>
          startQueueTrigger(definition, {
            queue: queueClient,
            logger,
            pollIntervalMs: options.queuePollIntervalMs ?? Math.min(1000, hostQueues.maxPollingIntervalMs),
            batchSize: options.queueBatchSize ?? hostQueues.batchSize,
            maxDequeueCount: options.maxDequeueCount ?? hostQueues.maxDequeueCount,
            retryVisibilityMs: options.queueRetryVisibilityMs ?? hostQueues.visibilityTimeoutMs,
            leaseMs: options.queueLeaseMs ?? 10 * 60_000,
          }),
        );
  const timerDrivers = new Map<string, TimerDriver>(
    timers.map((definition) => [
      definition.name,
      startTimer(definition, {
        logger,
        clock,
        scheduled: options.runTimersOnSchedule ?? true,
        settings: options.appSettings ?? process.env,
      }),
    ]),
  );

  return {
    url: host.url,
    port: host.port,
    triggerTimer: (name) => {
      const driver = timerDrivers.get(name);
      if (driver === undefined) return Promise.reject(new Error(`No timer function named ${name}`));
      return driver.trigger();
    },
    close: async () => {
      for (const driver of timerDrivers.values()) driver.stop();
      await Promise.all(queueDrivers.map((d) => d.stop()));
      await host.close();
    },
  };
}
