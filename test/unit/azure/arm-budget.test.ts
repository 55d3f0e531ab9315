import { createHttpHeaders, createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import { decideLease, sharedCapacity, type BudgetRow, type Lease } from '../../../shared/azure/arm-budget';
import {
  ArmCallLimiter,
  ArmThrottledError,
  type SharedArmBudget,
} from '../../../shared/azure/arm-call-limiter';

const SPEC = { ratePerSecond: 10, burst: 100 };
const TERMS = { batch: 5, ttlMs: 2000, maxWaitMs: 2000 };

describe('decideLease', () => {
  it('keeps the shared bucket smaller than ARM by what refills while a lease may still be spent', () => {
    expect(sharedCapacity(SPEC, TERMS)).toBe(75);
    expect(sharedCapacity({ ratePerSecond: 25, burst: 250 }, { ttlMs: 2000, batch: 10 })).toBe(190);
  });

  it('starts full, takes a batch, and refills at the rate up to the capacity', () => {
    const first = decideLease(undefined, SPEC, TERMS, 1000);
    expect(first.next).toEqual({ level: 70, atMs: 1000, blockedUntilMs: 0 });
    expect(first.lease).toEqual({ tokens: 5, validFromMs: 1000, expiresAtMs: 3000 });
    expect(decideLease(first.next, SPEC, TERMS, 61_000).next?.level).toBe(70);
    // The unspent rest of a lapsed lease goes back, up to the capacity.
    expect(
      decideLease({ level: 10, atMs: 0, blockedUntilMs: 0 }, SPEC, { ...TERMS, returned: 3 }, 0).next?.level,
    ).toBe(8);
  });

  it('dates a lease the bucket cannot cover yet to when the refill covers it, and refuses long waits', () => {
    const empty: BudgetRow = { level: 0, atMs: 0, blockedUntilMs: 0 };
    expect(decideLease(empty, SPEC, TERMS, 0).lease).toEqual({
      tokens: 5,
      validFromMs: 500,
      expiresAtMs: 2500,
    });
    const deep: BudgetRow = { level: -30, atMs: 0, blockedUntilMs: 0 };
    expect(decideLease(deep, SPEC, TERMS, 0)).toEqual({
      next: undefined,
      lease: { tokens: 0, waitMs: 3500 },
    });
  });

  it('holds every lease while a Retry-After recorded by any instance is pending', () => {
    const blocked: BudgetRow = { level: 50, atMs: 0, blockedUntilMs: 1500 };
    expect(decideLease(blocked, SPEC, TERMS, 0).lease).toMatchObject({ validFromMs: 1500 });
  });
});

/** An in-memory stand-in for the Table (the Table version is exercised in the integration test). */
function memoryBudget(): SharedArmBudget & { rows: Map<string, BudgetRow>; blocks: number[] } {
  const rows = new Map<string, BudgetRow>();
  const blocks: number[] = [];
  return {
    rows,
    blocks,
    lease(sub, kind, spec, terms): Promise<Lease> {
      const { next, lease } = decideLease(rows.get(`${sub}|${kind}`), spec, terms, 0);
      if (next) rows.set(`${sub}|${kind}`, next);
      return Promise.resolve(lease);
    },
    block(_sub, _kind, until) {
      blocks.push(until);
      return Promise.resolve();
    },
  };
}

describe('ArmCallLimiter with a shared budget', () => {
  const respond =
    (status: number, headers: Record<string, string> = {}) =>
    (request: ReturnType<typeof createPipelineRequest>): Promise<PipelineResponse> =>
      Promise.resolve({ request, status, headers: createHttpHeaders(headers), bodyAsText: '{}' });

  function limiter(budget: SharedArmBudget, now: { t: number }, onFallback?: () => void) {
    return new ArmCallLimiter({
      buckets: { read: SPEC, write: SPEC, delete: SPEC },
      lowWatermark: 5,
      maxInlineWaitMs: 2000,
      now: () => now.t,
      wait: (ms) => {
        now.t += ms;
        return Promise.resolve();
      },
      shared: {
        budget,
        batch: { read: 5, write: 5, delete: 5 },
        ttlMs: 2000,
        fallbackShare: 1 / 40,
        ...(onFallback ? { onFallback } : {}),
      },
    });
  }

  it('leases one batch per five requests, per subscription, and several limiters draw on the same row', async () => {
    const budget = memoryBudget();
    const now = { t: 0 };
    const [a, b] = [limiter(budget, now), limiter(budget, now)];
    for (let i = 0; i < 7; i++) await a.acquire('read', 's1');
    for (let i = 0; i < 3; i++) await b.acquire('read', 's1');
    await a.acquire('read', 's2');
    expect([a.sharedStats.leases, b.sharedStats.leases]).toEqual([3, 1]);
    expect(budget.rows.get('s1|read')?.level).toBe(75 - 15);
    expect(budget.rows.get('s2|read')?.level).toBe(70);
  });

  it('throws instead of waiting when the shared bucket is owed more than the inline wait', async () => {
    const budget = memoryBudget();
    budget.rows.set('s|write', { level: -40, atMs: 0, blockedUntilMs: 0 });
    await expect(limiter(budget, { t: 0 }).acquire('write', 's')).rejects.toBeInstanceOf(ArmThrottledError);
  });

  it("tells every instance about a 429's Retry-After and a low remaining header", async () => {
    const budget = memoryBudget();
    const now = { t: 0 };
    const policy = limiter(budget, now).policy();
    const get = createPipelineRequest({ url: 'https://arm/subscriptions/s/x', method: 'GET' });
    await policy.sendRequest(get, respond(429, { 'retry-after': '1' }));
    await policy.sendRequest(get, respond(200, { 'x-ms-ratelimit-remaining-subscription-reads': '2' }));
    expect(budget.blocks).toEqual([1000, 1000 + 300]);
  });

  it('paces itself on a 1/40 share while the shared budget cannot be reached', async () => {
    let told = 0;
    const broken: SharedArmBudget = {
      lease: () => Promise.reject(new Error('storage down')),
      block: () => Promise.resolve(),
    };
    const now = { t: 0 };
    const l = limiter(broken, now, () => told++);
    // A 1/40 share of a 100-token bucket refilled at 10/s: 2.5 tokens, then one per 4 s.
    const waits = [];
    for (let i = 0; i < 4; i++) waits.push(await l.acquire('read', 's'));
    expect(waits).toEqual([0, 0, 2000, 6000]);
    expect(told).toBe(1);
  });
});
