import { InvocationContext } from '@azure/functions';
import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { QueueFunctionDefinition } from '../../functions/function-definition';
import { toError, type Logger } from '../../shared/logging/logger';
import { invocationLogHandler } from './invocation-log';

export interface QueueTriggerOptions {
  readonly queue: (name: string) => QueueClient;
  readonly logger: Logger;
  /** Wait between polls when the queue was empty. */
  readonly pollIntervalMs: number;
  /** Messages fetched per poll (host default 16). */
  readonly batchSize: number;
  /** After this many failed deliveries the message moves to `<queue>-poison` (host default 5). */
  readonly maxDequeueCount: number;
  /** How long a failed message stays invisible before it is retried (host.json visibilityTimeout). */
  readonly retryVisibilityMs: number;
  /** Invisibility while a handler runs; long enough for the slowest handler. */
  readonly leaseMs: number;
}

export interface QueueDriver {
  stop(): Promise<void>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The host's default queue encoding is base64; the handler then gets parsed JSON or the plain text. */
export function decodeQueueMessage(messageText: string): unknown {
  if (messageText.length % 4 !== 0 || !BASE64.test(messageText)) {
    throw new Error('Message is not base64 (the Functions host default messageEncoding)');
  }
  const text = Buffer.from(messageText, 'base64').toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Polls one Storage queue like the Functions host's queue trigger: dequeueCount in triggerMetadata,
 * delete on success, visible again after `retryVisibilityMs` on failure, `<queue>-poison` after
 * `maxDequeueCount` failed deliveries (logged).
 */
export function startQueueTrigger(
  definition: QueueFunctionDefinition,
  options: QueueTriggerOptions,
): QueueDriver {
  const queueName = definition.trigger.queueName;
  const queue = options.queue(queueName);
  const poison = options.queue(`${queueName}-poison`);
  const log = options.logger.child({ function: definition.name, queue: queueName });
  let stopped = false;
  let wake: (() => void) | undefined;
  let timeout: NodeJS.Timeout | undefined;

  const moveToPoison = async (message: DequeuedMessageItem, reason: string): Promise<void> => {
    await poison.createIfNotExists();
    await poison.sendMessage(message.messageText);
    await queue.deleteMessage(message.messageId, message.popReceipt);
    log.error('Message moved to poison queue', {
      messageId: message.messageId,
      dequeueCount: message.dequeueCount,
      poisonQueue: poison.name,
      reason,
    });
  };

  const deliver = async (message: DequeuedMessageItem): Promise<void> => {
    if (message.dequeueCount > options.maxDequeueCount) {
      return moveToPoison(message, 'dequeue count exceeded before processing');
    }
    let entry: unknown;
    try {
      entry = decodeQueueMessage(message.messageText);
    } catch (thrown) {
      return moveToPoison(message, toError(thrown).message);
    }
    const context = new InvocationContext({
      invocationId: message.messageId + ':' + String(message.dequeueCount),
      functionName: definition.name,
      logHandler: invocationLogHandler(log.child({ messageId: message.messageId })),
      triggerMetadata: {
        id: message.messageId,
        dequeueCount: message.dequeueCount,
        insertionTime: message.insertedOn.toISOString(),
        expirationTime: message.expiresOn.toISOString(),
        nextVisibleTime: message.nextVisibleOn.toISOString(),
        popReceipt: message.popReceipt,
      },
    });
    try {
      await definition.handler(entry, context);
    } catch (thrown) {
      const error = toError(thrown);
      log.warn('Queue function failed', {
        messageId: message.messageId,
        dequeueCount: message.dequeueCount,
        error,
      });
      if (message.dequeueCount >= options.maxDequeueCount) return moveToPoison(message, error.message);
      await queue.updateMessage(
        message.messageId,
        message.popReceipt,
        undefined,
        Math.ceil(options.retryVisibilityMs / 1000),
      );
      return;
    }
    await queue.deleteMessage(message.messageId, message.popReceipt);
  };

  const poll = async (): Promise<number> => {
    await queue.createIfNotExists();
    const { receivedMessageItems } = await queue.receiveMessages({
      numberOfMessages: options.batchSize,
      visibilityTimeout: Math.max(1, Math.ceil(options.leaseMs / 1000)),
    });
    await Promise.all(
      receivedMessageItems.map((m) =>
        deliver(m).catch((thrown: unknown) => log.error('Queue delivery failed', { error: toError(thrown) })),
      ),
    );
    return receivedMessageItems.length;
  };

  const loop = (async () => {
    while (!stopped) {
      let received = 0;
      try {
        received = await poll();
      } catch (thrown) {
        if (!stopped) log.warn('Queue poll failed', { error: toError(thrown) });
      }
      if (received > 0 || stopped) continue;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timeout = setTimeout(resolve, options.pollIntervalMs);
      });
    }
  })();

  return {
    stop: async () => {
      stopped = true;
      if (timeout !== undefined) clearTimeout(timeout);
      wake?.();
      await loop;
    },
  };
}
