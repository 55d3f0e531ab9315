/**
 * NCRONTAB with seconds, as the Functions timer trigger uses: "{second} {minute} {hour} {day} {month}
 * {day-of-week}", evaluated in UTC. Supports `*`, numbers, ranges `a-b`, lists `a,b`, steps `*\/n` and
 * `a-b/n`: the forms gallery-guard schedules use. Month and day names are not supported.
 */
export interface CronSchedule {
  readonly source: string;
  next(after: Date): Date;
}

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
] as const;

function parseField(text: string, min: number, max: number, name: string): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (match === null) throw new Error(`Bad ${name} field "${text}"`);
    const [, whole, from, to, step] = match;
    const start = whole === '*' ? min : Number(from);
    const end = whole === '*' ? max : to !== undefined ? Number(to) : step !== undefined ? max : start;
    const increment = step === undefined ? 1 : Number(step);
    if (start < min || end > max || start > end || increment < 1) {
      throw new Error(`Bad ${name} field "${text}" (allowed ${min}-${max})`);
    }
    for (let v = start; v <= end; v += increment) values.add(v);
  }
  return values;
}

export function parseNcrontab(source: string): CronSchedule {
  const parts = source.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`NCRONTAB needs 6 fields (with seconds), got "${source}"`);
  const [second, minute, hour, day, month, weekday] = FIELDS.map((f, i) =>
    parseField(parts[i] ?? '', f.min, f.max, f.name),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  const dayIsStar = parts[3] === '*';
  const weekdayIsStar = parts[5] === '*';
  const dayMatches = (d: Date): boolean => {
    // Classic cron: if both day fields are restricted, either may match.
    const byDay = day.has(d.getUTCDate());
    const byWeekday = weekday.has(d.getUTCDay());
    if (dayIsStar || weekdayIsStar) return byDay && byWeekday;
    return byDay || byWeekday;
  };
  return {
    source,
    next(after: Date): Date {
      const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
      const limit = after.getTime() + 5 * 366 * 86_400_000;
      while (t.getTime() <= limit) {
        if (!month.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0, 0);
        } else if (!hour.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
        } else if (!minute.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
        } else if (!second.has(t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1, 0);
        } else {
          return t;
        }
      }
      throw new Error(`Schedule "${source}" never fires`);
    },
  };
}
