import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { ggMetrics } from './metrics';

/**
 * Counts every ARM request attempt and its status (429s separately), retries included: added to the
 * ARM clients' pipelines per retry, so a throttled call that succeeds on retry shows both answers.
 */
export function armMetricsPolicy(): PipelinePolicy {
  return {
    name: 'galleryGuardArmMetrics',
    async sendRequest(request, next) {
      try {
        const response = await next(request);
        ggMetrics.armResponse(request.method, response.status);
        return response;
      } catch (error) {
        const status = (error as { statusCode?: unknown }).statusCode;
        ggMetrics.armResponse(request.method, typeof status === 'number' ? status : 0);
        throw error;
      }
    },
  };
}
