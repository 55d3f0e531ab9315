import type { TimerHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { recordQueueMetrics } from '../shared/operator/queue-metrics';
import type { TimerFunctionDefinition } from './function-definition';

export function queueMetrics(services: Services): TimerHandler {
  return async () => {
    await recordQueueMetrics(services);
  };
}

/** Every 5 minutes: poison queue depth as a metric, so an alert fires without anyone running `gg`. */
export function queueMetricsFunction(services: Services): TimerFunctionDefinition {
  return {
    name: 'queue-metrics',
    trigger: { type: 'timer', schedule: '0 */5 * * * *' },
    handler: queueMetrics(services),
  };
}
