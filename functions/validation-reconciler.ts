import type { TimerHandler } from '@azure/functions';
import type { Services } from '../shared/runtime/services';
import { redriveDueRuns } from '../shared/validation/redrive-due-runs';
import { validationEngineFor } from '../shared/validation/validation-engine';
import type { TimerFunctionDefinition } from './function-definition';

/** Grace beyond a run's due time before the reconciler assumes its message was lost. */
const GRACE_MS = 60_000;

export function validationReconciler(services: Services, graceMs = GRACE_MS): TimerHandler {
  return async (_timer, context) => {
    const engine = validationEngineFor(services);
    await redriveDueRuns(
      { ...engine, logger: engine.logger.child({ invocationId: context.invocationId }) },
      graceMs,
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
