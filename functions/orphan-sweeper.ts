import type { TimerHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { sweepOrphans } from '../shared/validation/engine/sweep-orphans';
import type { TimerFunctionDefinition } from './function-definition';

export function orphanSweeper(services: Services): TimerHandler {
  return async (_timer, context) => {
    const engine = services.engine();
    await sweepOrphans({ ...engine, logger: engine.logger.child({ invocationId: context.invocationId }) });
  };
}

export function orphanSweeperFunction(services: Services): TimerFunctionDefinition {
  return {
    name: 'validation-orphan-sweeper',
    trigger: { type: 'timer', schedule: '0 3-59/10 * * * *' },
    handler: orphanSweeper(services),
  };
}
