import type { TimerHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { redriveRollouts } from '../shared/rollout/redrive-rollouts';
import type { TimerFunctionDefinition } from './function-definition';

export function rolloutRedrive(services: Services): TimerHandler {
  return async (_timer, context) => {
    await redriveRollouts(
      services.verdictActions,
      services.logger.child({ invocationId: context.invocationId, function: context.functionName }),
    );
  };
}

/** Every minute: regional rollouts whose soak or replication wait is over move on (level-triggered). */
export function rolloutRedriveFunction(services: Services): TimerFunctionDefinition {
  return {
    name: 'rollout-redrive',
    trigger: { type: 'timer', schedule: '0 * * * * *' },
    handler: rolloutRedrive(services),
  };
}
