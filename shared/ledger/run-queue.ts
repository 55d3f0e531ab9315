import type { QueueClient } from '@azure/storage-queue';
import { assertTableKey, type TableKeyError } from '../azure/table-key';
import type { RunKey } from './run-key';

/** The Storage queue that carries run keys to the validation engine. */
export const RUN_QUEUE_NAME = 'gg-runs';

/**
 * Messages are base64-encoded JSON, the Functions host's default queue encoding, so the host (and the
 * local runner) hands the trigger the parsed object `{ partitionKey, rowKey }`.
 */
export function encodeRunMessage(key: RunKey): string {
  return Buffer.from(JSON.stringify({ partitionKey: key.partitionKey, rowKey: key.rowKey })).toString(
    'base64',
  );
}

/** Accepts what a queue trigger receives (parsed object or JSON text); throws on anything else. */
export function decodeRunMessage(entry: unknown): RunKey {
  let value: unknown = entry;
  if (typeof entry === 'string') {
    try {
      value = JSON.parse(entry);
    } catch (error) {
      throw new Error('Run message is not JSON', { cause: error });
    }
  }
  if (typeof value !== 'object' || value === null) throw new Error('Run message is not an object');
  const { partitionKey, rowKey } = value as Record<string, unknown>;
  if (typeof partitionKey !== 'string' || typeof rowKey !== 'string') {
    throw new Error('Run message needs string partitionKey and rowKey');
  }
  try {
    return { partitionKey: assertTableKey(partitionKey), rowKey: assertTableKey(rowKey) };
  } catch (error) {
    throw new Error(`Run message has an invalid key: ${(error as TableKeyError).message}`, { cause: error });
  }
}

export class RunQueue {
  private ready: Promise<unknown> | undefined;

  constructor(private readonly queue: QueueClient) {}

  get name(): string {
    return this.queue.name;
  }

  ensureQueue(): Promise<unknown> {
    this.ready ??= this.queue.createIfNotExists().catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  /** Sends the run key; `delaySeconds` keeps it invisible that long (waiting on Azure = a delayed message). */
  async enqueue(key: RunKey, options: { delaySeconds?: number } = {}): Promise<void> {
    await this.ensureQueue();
    await this.queue.sendMessage(encodeRunMessage(key), {
      visibilityTimeout: options.delaySeconds,
    });
  }
}
