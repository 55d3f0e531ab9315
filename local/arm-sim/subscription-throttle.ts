import { createHash } from 'node:crypto';
import { ArmError } from './arm-error';
import type { SimClock } from './clock';

export type ArmRequestKind = 'reads' | 'writes' | 'deletes';

/** One token bucket: capacity and refill per (simulated) second. */
export interface ArmBucket {
  readonly capacity: number;
  readonly refillPerSecond: number;
}

export type ArmBuckets = Readonly<Record<ArmRequestKind, ArmBucket>>;

/**
 * Azure Resource Manager's subscription limits ("Understand how Azure Resource Manager throttles
 * requests", learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling,
 * regional throttling and token bucket algorithm, since 2024): per region, per subscription, per
 * service principal and per operation type, reads 250 tokens refilled at 25 per second, writes and
 * deletes 200 at 10 per second; a global subscription limit of 15 times that applies across all
 * principals. A request over any of them is throttled: 429 with Retry-After in seconds.
 */
export const ARM_SUBSCRIPTION_BUCKETS: ArmBuckets = {
  reads: { capacity: 250, refillPerSecond: 25 },
  writes: { capacity: 200, refillPerSecond: 10 },
  deletes: { capacity: 200, refillPerSecond: 10 },
};

export const GLOBAL_MULTIPLIER = 15;

export function kindOf(method: string): ArmRequestKind {
  if (method === 'DELETE') return 'deletes';
  return method === 'GET' || method === 'HEAD' ? 'reads' : 'writes';
}

/**
 * Who is calling. The simulator accepts any bearer token; a JWT's `oid` names its principal (as Entra
 * tokens do), any other token stands for a principal of its own.
 */
export function actorOf(authorization: string): string {
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  const payload = token.split('.')[1];
  if (payload !== undefined) {
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { oid?: unknown };
      if (typeof claims.oid === 'string' && claims.oid !== '') return claims.oid.toLowerCase();
    } catch {
      // not a JWT: fall through
    }
  }
  return createHash('sha256').update(token).digest('hex').slice(0, 32);
}

interface Tokens {
  level: number;
  atMs: number;
}

export interface SubscriptionThrottleCounts {
  readonly total: number;
  /** 429s by scope and kind, e.g. `principal-reads`, `global-writes`. */
  readonly byScope: Readonly<Record<string, number>>;
  /** Requests charged, by kind (what the buckets let through). */
  readonly admitted: Readonly<Record<ArmRequestKind, number>>;
  /** Requests charged per principal, by kind. */
  readonly admittedByActor: Readonly<Record<string, Readonly<Record<ArmRequestKind, number>>>>;
}

/**
 * Enforces ARM's subscription buckets for every client of the simulator, on its clock: each request
 * costs one token of its principal's bucket and one of the subscription's global bucket; every client
 * sharing a principal shares its bucket, as the instances of one function app do. It answers what ARM
 * reports: x-ms-ratelimit-remaining-subscription-{reads,writes,deletes} (the principal's bucket) and
 * x-ms-ratelimit-remaining-subscription-global-* (the subscription's), and a throttled request
 * (SubscriptionRequestsThrottled, Retry-After) consumes nothing.
 */
export class SubscriptionThrottle {
  private readonly buckets = new Map<string, Tokens>();
  private throttled = new Map<string, number>();
  private admitted: Record<ArmRequestKind, number> = { reads: 0, writes: 0, deletes: 0 };
  private byActor = new Map<string, Record<ArmRequestKind, number>>();

  constructor(
    private readonly clock: SimClock,
    private readonly limits: () => ArmBuckets | false,
  ) {}

  /** Charges one request; returns the remaining-requests headers, or throws the 429. */
  charge(input: { subscriptionId: string; actor: string; method: string }): Record<string, string> {
    const limits = this.limits();
    const kind = kindOf(input.method);
    const sub = input.subscriptionId.toLowerCase();
    const bucket = limits === false ? ARM_SUBSCRIPTION_BUCKETS[kind] : limits[kind];
    const global: ArmBucket = {
      capacity: bucket.capacity * GLOBAL_MULTIPLIER,
      refillPerSecond: bucket.refillPerSecond * GLOBAL_MULTIPLIER,
    };
    const now = this.clock.elapsedMs();
    const principal = this.refill(`p|${sub}|${input.actor}|${kind}`, bucket, now);
    const subscription = this.refill(`g|${sub}|${kind}`, global, now);
    const headers = (): Record<string, string> => ({
      [`x-ms-ratelimit-remaining-subscription-${kind}`]: String(Math.max(0, Math.floor(principal.level))),
      [`x-ms-ratelimit-remaining-subscription-global-${kind}`]: String(
        Math.max(0, Math.floor(subscription.level)),
      ),
    });
    const empty =
      principal.level < 1 ? { scope: 'principal', t: principal, b: bucket } : subscription.level < 1 ? { scope: 'global', t: subscription, b: global } : undefined; // prettier-ignore
    if (empty !== undefined && limits !== false) {
      const key = `${empty.scope}-${kind}`;
      this.throttled.set(key, (this.throttled.get(key) ?? 0) + 1);
      const simSeconds = (1 - empty.t.level) / empty.b.refillPerSecond;
      const retryAfter = Math.max(1, Math.ceil(simSeconds / this.clock.timeScale));
      const singular = kind.slice(0, -1);
      throw new ArmError(
        429,
        'SubscriptionRequestsThrottled',
        `Number of '${singular}' requests for subscription '${sub}' actor '${input.actor}' exceeded. Please try again after '${retryAfter}' seconds after the last request.`,
        { headers: { 'Retry-After': String(retryAfter), ...headers() } },
      );
    }
    principal.level = Math.max(0, principal.level - 1);
    subscription.level = Math.max(0, subscription.level - 1);
    this.admitted[kind] += 1;
    const mine = this.byActor.get(input.actor) ?? { reads: 0, writes: 0, deletes: 0 };
    mine[kind] += 1;
    this.byActor.set(input.actor, mine);
    return headers();
  }

  counts(): SubscriptionThrottleCounts {
    const byScope = Object.fromEntries([...this.throttled.entries()].sort(([a], [b]) => a.localeCompare(b)));
    return {
      total: Object.values(byScope).reduce((a, b) => a + b, 0),
      byScope,
      admitted: { ...this.admitted },
      admittedByActor: Object.fromEntries([...this.byActor.entries()].map(([k, v]) => [k, { ...v }])),
    };
  }

  reset(): void {
    this.buckets.clear();
    this.throttled = new Map();
    this.admitted = { reads: 0, writes: 0, deletes: 0 };
    this.byActor = new Map();
  }

  private refill(key: string, limit: ArmBucket, now: number): Tokens {
    const t = this.buckets.get(key) ?? { level: limit.capacity, atMs: now };
    t.level = Math.min(limit.capacity, t.level + ((now - t.atMs) / 1000) * limit.refillPerSecond);
    t.atMs = now;
    this.buckets.set(key, t);
    return t;
  }
}
