import { parseNcrontab, resolveSchedule } from '../../../../local/runner/ncrontab';

const at = (iso: string): Date => new Date(iso);

describe('parseNcrontab (croner)', () => {
  it.each([
    ['0 */5 * * * *', '2026-11-27T10:02:13Z', '2026-11-27T10:05:00.000Z'],
    ['0 */5 * * * *', '2026-11-27T10:05:00Z', '2026-11-27T10:10:00.000Z'],
    ['*/10 * * * * *', '2026-11-27T10:00:01Z', '2026-11-27T10:00:10.000Z'],
    ['0 17 3 * * *', '2026-11-27T10:00:00Z', '2026-11-28T03:17:00.000Z'],
    ['0 0 9 * * 1-5', '2026-11-28T10:00:00Z', '2026-11-30T09:00:00.000Z'],
    ['0 30 9 1 * *', '2026-11-27T10:00:00Z', '2026-12-01T09:30:00.000Z'],
    ['0 0 0 1 1 *', '2026-11-27T10:00:00Z', '2027-01-01T00:00:00.000Z'],
    ['0 0,30 8-10 * * *', '2026-11-27T10:31:00Z', '2026-11-28T08:00:00.000Z'],
    ['0 0 0 29 2 *', '2026-03-01T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    ['0 3-59/10 * * * *', '2026-11-27T10:04:00Z', '2026-11-27T10:13:00.000Z'],
    // Names, as the Functions docs allow ("0 30 9 * Jan Mon": 9:30 every Monday in January).
    ['0 30 9 * Jan Mon', '2026-11-27T10:00:00Z', '2027-01-04T09:30:00.000Z'],
    // NCrontab needs the day of month and the day of week to match: the 13th that is a Friday.
    ['0 0 12 13 * 5', '2026-11-27T10:00:00Z', '2027-08-13T12:00:00.000Z'],
  ])('"%s" after %s fires at %s', (schedule, after, expected) => {
    expect(parseNcrontab(schedule).next(at(after)).toISOString()).toBe(expected);
  });

  it.each([
    ['00:05:00', '2026-11-27T10:02:13.000Z', '2026-11-27T10:07:13.000Z'],
    ['01:00:00', '2026-11-27T10:00:00.000Z', '2026-11-27T11:00:00.000Z'],
    // First field 24 or more: dd:hh:mm (the docs' rule, and how .NET's TimeSpan.Parse reads it).
    ['30:12:00', '2026-11-01T00:00:00.000Z', '2026-12-01T12:00:00.000Z'],
  ])('the TimeSpan "%s" after %s fires at %s', (schedule, after, expected) => {
    expect(parseNcrontab(schedule).next(at(after)).toISOString()).toBe(expected);
  });

  it.each([
    ['0 */5 * * *'],
    ['60 * * * * *'],
    ['0 0 25 * * *'],
    ['a * * * * *'],
    ['0 */0 * * * *'],
    ['00:00:00'],
  ])('rejects "%s"', (schedule) => {
    expect(() => parseNcrontab(schedule)).toThrow();
  });
});

describe('%Setting% schedules', () => {
  it('reads the schedule from the named app setting', () => {
    expect(resolveSchedule('%GG_SWEEP_SCHEDULE%', { GG_SWEEP_SCHEDULE: '0 */7 * * * *' })).toBe(
      '0 */7 * * * *',
    );
    expect(resolveSchedule('0 */5 * * * *', {})).toBe('0 */5 * * * *');
  });

  it('names the missing setting', () => {
    expect(() => resolveSchedule('%GG_SWEEP_SCHEDULE%', {})).toThrow(/GG_SWEEP_SCHEDULE, which is not set/);
  });
});
