import type { TimerHandler } from '@azure/functions';
import type { Services } from '../shared/app/services';
import { sweepMissedVersions } from '../shared/events/sweep-missed-versions';
import type { TimerFunctionDefinition } from './function-definition';

export function validationSweep(services: Services): TimerHandler {
  return async (_timer, context) => {
    const engine = services.engine();
    await sweepMissedVersions(
      { ...services, logger: services.logger.child({ invocationId: context.invocationId }) },
      engine.galleryCompute,
      services.config.validation.sweepLookbackHours,
    );
  };
}

export function validationSweepFunction(services: Services): TimerFunctionDefinition {
  // Every 15 minutes at :07 past, off the hour.
  return {
    name: 'validation-missed-event-sweep',
    trigger: { type: 'timer', schedule: '0 7-59/15 * * * *' },
    handler: validationSweep(services),
  };
}
