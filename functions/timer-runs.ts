import type { Services } from '../shared/app/services';
import { recordTimerRun } from '../shared/operator/timer-runs';
import type { FunctionDefinition, TimerFunctionDefinition } from './function-definition';

/** Every timer records its start, end and outcome (GET /api/health shows the last run of each). */
export function withTimerRuns(
  services: Services,
  definitions: readonly FunctionDefinition[],
): FunctionDefinition[] {
  return definitions.map((definition) => {
    if (definition.trigger.type !== 'timer') return definition;
    const timer = definition as TimerFunctionDefinition;
    const recorded: TimerFunctionDefinition = {
      ...timer,
      handler: (trigger, context) =>
        recordTimerRun(services, timer.name, async () => {
          await timer.handler(trigger, context);
        }),
    };
    return recorded;
  });
}

export function timersOf(definitions: readonly FunctionDefinition[]): { name: string; schedule: string }[] {
  return definitions.flatMap((d) =>
    d.trigger.type === 'timer' ? [{ name: d.name, schedule: d.trigger.schedule }] : [],
  );
}
