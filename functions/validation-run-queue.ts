import type { StorageQueueHandler } from '@azure/functions';
import { decodeRunMessage, RUN_QUEUE_NAME } from '../shared/ledger/run-queue';
import { toError } from '../shared/logging/logger';
import type { Services } from '../shared/app/services';
import { reconcileRun } from '../shared/validation/engine/reconcile-run';
import type { QueueFunctionDefinition } from './function-definition';

/**
 * Advances one validation run per message. A malformed message can never succeed, so it is logged and
 * dropped; anything else that throws is retried by the host and, after maxDequeueCount, lands in
 * gg-runs-poison — the run itself is safe in its row and the reconciler timer re-drives it.
 */
export function validationRunQueue(services: Services): StorageQueueHandler {
  return async (entry, context) => {
    const logger = services.logger.child({ invocationId: context.invocationId });
    let key;
    try {
      key = decodeRunMessage(entry);
    } catch (error) {
      logger.error('Dropped malformed run message', { error: toError(error) });
      return;
    }
    const outcome = await reconcileRun({ ...services.engine(), logger }, key);
    logger.debug('Run message handled', { outcome, dequeueCount: context.triggerMetadata?.dequeueCount });
  };
}

export function validationRunQueueFunction(services: Services): QueueFunctionDefinition {
  return {
    name: 'validation-run',
    trigger: { type: 'queue', queueName: RUN_QUEUE_NAME },
    handler: validationRunQueue(services),
  };
}
