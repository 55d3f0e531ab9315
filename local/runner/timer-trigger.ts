import { randomUUID } from 'node:crypto';
import { InvocationContext, type Timer } from '@azure/functions';
import type { TimerFunctionDefinition } from '../../functions/function-definition';
import type { Clock } from '../../shared/runtime/clock';
import { toError, type Logger } from '../../shared/logging/logger';
import { invocationLogHandler } from './invocation-log';
import { parseNcrontab, resolveSchedule } from './ncrontab';

export interface TimerDriver {
  /** Runs the timer's handler now (after any invocation in progress) and resolves when it finishes. */
  trigger(): Promise<void>;
  stop(): void;
}

/**
 * Drives one timer function on its NCRONTAB schedule. Invocations never overlap (the host guarantees
 * one at a time across instances); a failed invocation is logged and the schedule continues.
 */
export function startTimer(
  definition: TimerFunctionDefinition,
  options: {
    logger: Logger;
    clock: Clock;
    scheduled: boolean;
    /** App settings a `%Name%` schedule is read from. */
    settings: Readonly<Record<string, string | undefined>>;
  },
): TimerDriver {
  const schedule = parseNcrontab(resolveSchedule(definition.trigger.schedule, options.settings));
  const log = options.logger.child({ function: definition.name });
  let last: Date | undefined;
  let chain: Promise<void> = Promise.resolve();
  let timeout: NodeJS.Timeout | undefined;
  let stopped = false;

  const invoke = async (): Promise<void> => {
    const now = options.clock();
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: (last ?? now).toISOString(),
        next: schedule.next(now).toISOString(),
        lastUpdated: now.toISOString(),
      },
    };
    last = now;
    const invocationId = randomUUID();
    const context = new InvocationContext({
      invocationId,
      functionName: definition.name,
      logHandler: invocationLogHandler(log.child({ invocationId })),
    });
    await definition.handler(timer, context);
  };
  const enqueue = (): Promise<void> => {
    const run = chain.then(invoke);
    chain = run.catch(() => undefined);
    return run;
  };
  const arm = (): void => {
    if (stopped || !options.scheduled) return;
    const now = options.clock();
    const delay = Math.max(0, schedule.next(now).getTime() - now.getTime());
    // setTimeout cannot wait longer than ~24.8 days; re-arm in steps.
    timeout = setTimeout(
      () => {
        if (options.clock().getTime() + 5 < schedule.next(now).getTime()) return arm();
        enqueue()
          .catch((thrown: unknown) => log.error('Timer function failed', { error: toError(thrown) }))
          .finally(arm);
      },
      Math.min(delay, 2 ** 31 - 1),
    );
    timeout.unref();
  };
  arm();
  return {
    trigger: enqueue,
    stop: () => {
      stopped = true;
      if (timeout !== undefined) clearTimeout(timeout);
    },
  };
}
