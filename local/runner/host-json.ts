import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The queue trigger settings of host.json (`extensions.queues`), read the way the Functions host reads
 * them, so the local runner retries and poisons exactly like Azure. Defaults are the host's own
 * (learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#host-json and the
 * extension's QueuesOptions): batchSize 16 (1-32), maxDequeueCount 5, visibilityTimeout 00:00:00,
 * maxPollingInterval 00:01:00.
 */
export interface HostQueueSettings {
  readonly batchSize: number;
  readonly maxDequeueCount: number;
  /** How long a failed message stays invisible before it is retried. */
  readonly visibilityTimeoutMs: number;
  /** Longest wait between polls of an empty queue. */
  readonly maxPollingIntervalMs: number;
}

export const HOST_QUEUE_DEFAULTS: HostQueueSettings = {
  batchSize: 16,
  maxDequeueCount: 5,
  visibilityTimeoutMs: 0,
  maxPollingIntervalMs: 60_000,
};

export class HostJsonError extends Error {
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'HostJsonError';
  }
}

/** "hh:mm:ss", "d.hh:mm:ss" or "hh:mm:ss.fff" (a .NET TimeSpan, as host.json writes durations). */
export function timeSpanMs(text: string): number | undefined {
  const match = /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (match === null) return undefined;
  const [, days = '0', h, m, s, fraction = '0'] = match;
  return (
    (((Number(days) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000 +
    Number(fraction.padEnd(3, '0'))
  );
}

function whole(file: string, name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new HostJsonError(file, `extensions.queues.${name} must be a whole number from ${min} to ${max}`);
  }
  return value;
}

function duration(file: string, name: string, value: unknown): number {
  const ms = typeof value === 'string' ? timeSpanMs(value) : undefined;
  if (ms === undefined)
    throw new HostJsonError(file, `extensions.queues.${name} must be a TimeSpan such as "00:00:10"`);
  return ms;
}

export function readHostQueueSettings(file = join(process.cwd(), 'host.json')): HostQueueSettings {
  if (!existsSync(file)) return HOST_QUEUE_DEFAULTS;
  let parsed: { extensions?: { queues?: Record<string, unknown> } };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch (error) {
    throw new HostJsonError(
      file,
      `not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const queues = parsed.extensions?.queues ?? {};
  const d = HOST_QUEUE_DEFAULTS;
  return {
    batchSize:
      queues.batchSize === undefined ? d.batchSize : whole(file, 'batchSize', queues.batchSize, 1, 32),
    maxDequeueCount:
      queues.maxDequeueCount === undefined
        ? d.maxDequeueCount
        : whole(file, 'maxDequeueCount', queues.maxDequeueCount, 1, 1000),
    visibilityTimeoutMs:
      queues.visibilityTimeout === undefined
        ? d.visibilityTimeoutMs
        : duration(file, 'visibilityTimeout', queues.visibilityTimeout),
    maxPollingIntervalMs:
      queues.maxPollingInterval === undefined
        ? d.maxPollingIntervalMs
        : duration(file, 'maxPollingInterval', queues.maxPollingInterval),
  };
}
