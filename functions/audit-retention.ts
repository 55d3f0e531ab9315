import type { TimerHandler } from '@azure/functions';
import { enforceAuditRetention } from '../shared/events/enforce-audit-retention';
import type { Services } from '../shared/app/services';
import type { TimerFunctionDefinition } from './function-definition';

export function auditRetention(services: Services): TimerHandler {
  return async (_timer, context) => {
    await enforceAuditRetention({
      ...services,
      logger: services.logger.child({ invocationId: context.invocationId }),
    });
  };
}

export function auditRetentionFunction(services: Services): TimerFunctionDefinition {
  // Daily at 03:17 UTC: off the hour, so it does not line up with other schedules.
  return {
    name: 'audit-retention',
    trigger: { type: 'timer', schedule: '0 17 3 * * *' },
    handler: auditRetention(services),
  };
}
