import type { TimerHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { redriveDueRuns } from '../shared/validation/engine/redrive-due-runs';
import type { TimerFunctionDefinition } from './function-definition';

export function validationReconciler(services: Services): TimerHandler {
  return async (_timer, context) => {
    const engine = services.engine();
    await redriveDueRuns(
      { ...engine, logger: engine.logger.child({ invocationId: context.invocationId }) },
      services.config.validation.reconcileGraceMs,
    );
  };
}

export function validationReconcilerFunction(services: Services): TimerFunctionDefinition {
  return {
    name: 'validation-reconciler',
    trigger: { type: 'timer', schedule: '0 */2 * * * *' },
    handler: validationReconciler(services),
  };
}
