import { ggMetrics } from '../telemetry/metrics';
import type { OperatorDeps } from './operator-deps';
import { POISON_QUEUE_NAME, queueDepth } from './poison-queue';

/** Records the poison queue's depth (the alert on poison messages reads it). */
export async function recordQueueMetrics(deps: Pick<OperatorDeps, 'storage'>): Promise<number> {
  const depth = await queueDepth(deps.storage.queue(POISON_QUEUE_NAME));
  ggMetrics.poisonQueueDepth(POISON_QUEUE_NAME, depth);
  return depth;
}
