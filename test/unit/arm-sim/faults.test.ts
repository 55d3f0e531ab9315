import { FaultInjector, seededRandom, validateFaultRules } from '../../../local/arm-sim/faults';

const read = {
  operation: 'Microsoft.Compute/galleries/images/versions/read',
  method: 'GET',
  path: '/subscriptions/s/x',
};
const write = {
  operation: 'Microsoft.Compute/virtualMachines/write',
  method: 'PUT',
  path: '/subscriptions/s/vm',
};

describe('seededRandom', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const seqA = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seqA);
    expect([c(), c(), c()]).not.toEqual(seqA);
    for (const v of seqA) expect(v >= 0 && v < 1).toBe(true);
  });
});

describe('FaultInjector', () => {
  it('fires an nthCall rule exactly on the Nth matching call', () => {
    const f = new FaultInjector(1);
    f.set([{ operation: read.operation, kind: 'throttle', nthCall: 3, retryAfterSeconds: 7 }]);
    const outcomes = [read, write, read, read, read].map((r) => f.decide(r));
    expect(outcomes.map((o) => o?.type)).toEqual([undefined, undefined, undefined, 'respond', undefined]);
    const fired = outcomes[3];
    expect(fired?.type === 'respond' && fired.error.status).toBe(429);
    expect(fired?.type === 'respond' && fired.error.extra.headers).toEqual({ 'Retry-After': '7' });
    expect(f.list().fired).toBe(1);
  });

  it('matches operation names case-insensitively, method and path pattern, and * for any operation', () => {
    const f = new FaultInjector(1);
    f.set([{ operation: 'microsoft.compute/VIRTUALMACHINES/write', method: 'put', kind: 'quota' }]);
    expect(f.decide(write)?.type).toBe('respond');
    expect(f.decide(read)).toBeUndefined();
    f.set([{ operation: '*', pathPattern: '/x$', kind: 'capacity' }]);
    expect(f.decide(read)).toEqual(
      expect.objectContaining({ type: 'fail-operation', code: 'AllocationFailed' }),
    );
    expect(f.decide(write)).toBeUndefined();
  });

  it('fires rate rules from the seeded PRNG, repeatably after set()', () => {
    const f = new FaultInjector(5);
    f.set([{ kind: 'server-error', rate: 0.3 }]);
    const first = Array.from({ length: 50 }, () => f.decide(read)?.type ?? 'none');
    f.set([{ kind: 'server-error', rate: 0.3 }]);
    const second = Array.from({ length: 50 }, () => f.decide(read)?.type ?? 'none');
    expect(second).toEqual(first);
    const fired = first.filter((t) => t === 'respond').length;
    expect(fired).toBeGreaterThan(5);
    expect(fired).toBeLessThan(30);
    f.set([{ kind: 'server-error', rate: 0 }]);
    expect(Array.from({ length: 20 }, () => f.decide(read))).toEqual(Array(20).fill(undefined));
  });

  it('maps each kind to ARM behaviour', () => {
    const kinds = {
      throttle: 'TooManyRequests',
      'server-error': 'InternalServerError',
      'service-unavailable': 'ServiceUnavailable',
      quota: 'OperationNotAllowed',
      'sku-not-available': 'SkuNotAvailable',
    } as const;
    for (const [kind, code] of Object.entries(kinds)) {
      const f = new FaultInjector(1);
      f.set([{ kind: kind as keyof typeof kinds }]);
      const effect = f.decide(read);
      expect(effect?.type === 'respond' && effect.error.code).toBe(code);
    }
    const f = new FaultInjector(1);
    f.set([{ kind: 'hang' }]);
    expect(f.decide(read)).toEqual({ type: 'hang' });
    f.set([{ kind: 'lro-hang' }]);
    expect(f.decide(read)).toEqual({ type: 'hang-operation' });
    f.set([{ kind: 'lro-failed' }]);
    expect(f.decide(read)).toMatchObject({ type: 'fail-operation', code: 'InternalExecutionError' });
  });
});

describe('validateFaultRules', () => {
  it('rejects unknown kinds, bad rates and bad nthCall with a message naming the rule', () => {
    expect(() => validateFaultRules([{ kind: 'explode' }])).toThrow(/fault rule 0: kind must be one of/);
    expect(() => validateFaultRules([{ kind: 'throttle' }, { kind: 'throttle', rate: 2 }])).toThrow(
      /fault rule 1: rate/,
    );
    expect(() => validateFaultRules([{ kind: 'throttle', nthCall: 0 }])).toThrow(/nthCall/);
    expect(() => validateFaultRules({})).toThrow(/array/);
    expect(validateFaultRules([{ kind: 'hang', pathPattern: 'versions' }])).toHaveLength(1);
  });
});
