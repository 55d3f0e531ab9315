import { Cron } from 'croner';

/**
 * Timer schedules as the Functions host reads them, evaluated with croner:
 * - NCRONTAB with seconds, "{second} {minute} {hour} {day} {month} {day-of-week}", in UTC, names
 *   allowed (Mon, Jan). Azure Functions uses the NCrontab library, which fires only when the day of
 *   month *and* the day of week match (NCrontab's GetNextOccurrence checks the weekday after picking
 *   the day), so croner runs with domAndDow.
 * - a TimeSpan "hh:mm:ss" (hh < 24) or "dd:hh:mm" (first field 24 or more): a fixed interval, which
 *   Azure accepts on App Service plans only.
 * - "%Name%": the schedule is the value of app setting Name.
 * Source: learn.microsoft.com/azure/azure-functions/functions-bindings-timer (Configuration,
 * CRON expressions, TimeSpan); NCrontab/CrontabSchedule.cs.
 */
export interface CronSchedule {
  readonly source: string;
  next(after: Date): Date;
}

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

const SETTING = /^%([^%]+)%$/;
const TIMESPAN = /^(\d{1,2}):(\d{2}):(\d{2})$/;

/** Replaces a `%Name%` schedule by the app setting's value; the error names a missing setting. */
export function resolveSchedule(
  schedule: string,
  settings: Readonly<Record<string, string | undefined>>,
): string {
  const match = SETTING.exec(schedule.trim());
  if (match === null) return schedule;
  const value = settings[match[1]!];
  if (value === undefined || value.trim() === '') {
    throw new ScheduleError(`timer schedule ${schedule} names app setting ${match[1]!}, which is not set`);
  }
  return value.trim();
}

function timeSpan(source: string, match: RegExpExecArray): CronSchedule {
  const [a, b, c] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = a < 24 ? ((a * 60 + b) * 60 + c) * 1000 : ((a * 24 + b) * 60 + c) * 60_000;
  if (ms <= 0) throw new ScheduleError(`TimeSpan schedule "${source}" must be longer than zero`);
  return { source, next: (after) => new Date(after.getTime() + ms) };
}

export function parseNcrontab(source: string): CronSchedule {
  const span = TIMESPAN.exec(source.trim());
  if (span !== null) return timeSpan(source, span);
  if (source.trim().split(/\s+/).length !== 6) {
    throw new ScheduleError(`NCRONTAB needs 6 fields (with seconds), got "${source}"`);
  }
  let cron: Cron;
  try {
    cron = new Cron(source.trim(), { timezone: 'UTC', mode: '6-part', domAndDow: true, paused: true });
  } catch (error) {
    throw new ScheduleError(
      `Bad NCRONTAB "${source}": ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    source,
    next(after: Date): Date {
      const next = cron.nextRun(after);
      if (next === null) throw new ScheduleError(`Schedule "${source}" never fires`);
      return next;
    },
  };
}
