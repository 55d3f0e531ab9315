import { SimClock } from '../../../local/arm-sim/clock';
import { ArmError } from '../../../local/arm-sim/arm-error';
import {
  ARM_SUBSCRIPTION_BUCKETS,
  SubscriptionThrottle,
  actorOf,
} from '../../../local/arm-sim/subscription-throttle';

const SUB = '00000000-0000-0000-0000-00000000000a';

function throttle(capacity = 3, refillPerSecond = 1) {
  const clock = new SimClock(1);
  const bucket = { capacity, refillPerSecond };
  const t = new SubscriptionThrottle(clock, () => ({ reads: bucket, writes: bucket, deletes: bucket }));
  return { t, clock };
}

function rejection(fn: () => unknown): ArmError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ArmError) return error;
    throw error;
  }
  throw new Error('expected a 429');
}

describe('SubscriptionThrottle (ARM subscription buckets)', () => {
  it("documents Azure's sizes: reads 250/25 per s, writes and deletes 200/10 per s", () => {
    expect(ARM_SUBSCRIPTION_BUCKETS).toEqual({
      reads: { capacity: 250, refillPerSecond: 25 },
      writes: { capacity: 200, refillPerSecond: 10 },
      deletes: { capacity: 200, refillPerSecond: 10 },
    });
  });

  it('shares one bucket per principal across clients, reports what is left, then answers 429 with Retry-After', () => {
    const { t } = throttle(3, 1);
    const read = { subscriptionId: SUB, actor: 'app', method: 'GET' };
    expect(t.charge(read)['x-ms-ratelimit-remaining-subscription-reads']).toBe('2');
    expect(t.charge(read)['x-ms-ratelimit-remaining-subscription-reads']).toBe('1');
    const third = t.charge(read);
    expect(third['x-ms-ratelimit-remaining-subscription-reads']).toBe('0');
    expect(third['x-ms-ratelimit-remaining-subscription-global-reads']).toBe('42');
    const error = rejection(() => t.charge(read));
    expect(error.status).toBe(429);
    expect(error.code).toBe('SubscriptionRequestsThrottled');
    expect(error.extra.headers?.['Retry-After']).toBe('1');
    // Writes have their own bucket; another principal has its own too.
    expect(t.charge({ ...read, method: 'PUT' })['x-ms-ratelimit-remaining-subscription-writes']).toBe('2');
    expect(t.charge({ ...read, actor: 'pipeline' })['x-ms-ratelimit-remaining-subscription-reads']).toBe('2');
    expect(t.counts()).toMatchObject({
      total: 1,
      byScope: { 'principal-reads': 1 },
      admitted: { reads: 4, writes: 1 },
    });
  });

  it('refills on the clock and enforces the global limit (15×) across principals', () => {
    const { t, clock } = throttle(1, 1);
    const read = (actor: string) => ({ subscriptionId: SUB, actor, method: 'GET' });
    t.charge(read('a'));
    expect(() => t.charge(read('a'))).toThrow(ArmError);
    clock.advance(1);
    expect(() => t.charge(read('a'))).not.toThrow();
    for (let i = 0; i < 14; i++) t.charge(read(`p${i}`));
    // 15 tokens of the global bucket spent (one refilled): the 16th principal is throttled globally.
    expect(() => t.charge(read('p15'))).toThrow(ArmError);
    expect(t.counts().byScope).toMatchObject({ 'global-reads': 1 });
  });

  it("names a JWT's principal by its oid, any other token by a digest of it", () => {
    const jwt = (oid: string) => `Bearer x.${Buffer.from(JSON.stringify({ oid })).toString('base64url')}.sig`;
    expect(actorOf(jwt('AbC'))).toBe('abc');
    expect(actorOf('Bearer static-token')).toBe(actorOf('Bearer static-token'));
    expect(actorOf('Bearer static-token')).not.toBe(actorOf('Bearer other-token'));
  });
});
