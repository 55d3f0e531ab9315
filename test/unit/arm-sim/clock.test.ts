import { Scheduler, SimClock } from '../../../local/arm-sim/clock';

describe('SimClock and Scheduler', () => {
  it('runs due jobs in sim-time order when the clock advances', () => {
    const clock = new SimClock(1);
    const scheduler = new Scheduler(clock);
    const ran: string[] = [];
    scheduler.after(600, () => ran.push('ten minutes'));
    scheduler.after(20, () => ran.push('twenty seconds'));
    scheduler.runDue();
    expect(ran).toEqual([]);
    clock.advance(60);
    scheduler.runDue();
    expect(ran).toEqual(['twenty seconds']);
    clock.advance(600);
    scheduler.runDue();
    expect(ran).toEqual(['twenty seconds', 'ten minutes']);
    scheduler.close();
  });

  it('scales real delays by the time scale and refuses a non-positive scale', () => {
    const clock = new SimClock(600);
    expect(clock.realDelayUntil(clock.elapsedMs() + 600_000)).toBeLessThanOrEqual(1000);
    expect(clock.realDelayUntil(clock.elapsedMs() + 600_000)).toBeGreaterThan(900);
    expect(() => new SimClock(0)).toThrow(RangeError);
  });
});
