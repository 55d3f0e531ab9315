import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
  SendRequest,
} from '@azure/core-rest-pipeline';
import { retryAfterMs } from './arm-error-classification';
import type { ArmBucketKind, BucketSpec, Lease, LeaseTerms } from './arm-budget';

/** Thrown instead of waiting when ARM asked us to back off longer than we wait inline. */
export class ArmThrottledError extends Error {
  readonly statusCode = 429;
  constructor(
    readonly retryAfterMs: number,
    options?: { cause?: unknown },
  ) {
    super(`ARM throttling: retry after ${Math.ceil(retryAfterMs / 1000)} s`, options);
    this.name = 'ArmThrottledError';
  }
}

type Bucket = ArmBucketKind;

/** Where instances of the app draw ARM tokens from together (TableArmBudget). */
export interface SharedArmBudget {
  lease(subscriptionId: string, kind: Bucket, spec: BucketSpec, terms: LeaseTerms): Promise<Lease>;
  /** Holds every instance's requests of `kind` until `untilMs` (a 429's Retry-After, a low header). */
  block(subscriptionId: string, kind: Bucket, untilMs: number): Promise<void>;
}

export interface SharedBudgetOptions {
  readonly budget: SharedArmBudget;
  /** Tokens leased at a time, and how long they stay spendable. */
  readonly batch: Readonly<Record<Bucket, number>>;
  readonly ttlMs: number;
  /**
   * Share of the buckets this instance uses alone while the shared budget cannot be reached (1/40:
   * even the largest Flex Consumption scale-out stays within ARM's buckets).
   */
  readonly fallbackShare: number;
  /** Told once per outage when the shared budget fails and the fallback share applies. */
  readonly onFallback?: (error: unknown) => void;
}

export interface ArmCallLimiterOptions {
  /** Token buckets per request kind, like ARM's: refill per second and burst capacity. */
  readonly buckets: Readonly<Record<Bucket, { readonly ratePerSecond: number; readonly burst: number }>>;
  /** Below this many remaining requests (x-ms-ratelimit-remaining-*) we slow to a trickle. */
  readonly lowWatermark: number;
  /** Longest we wait in-process; beyond it the step is requeued with the delay instead. */
  readonly maxInlineWaitMs: number;
  readonly now?: () => number;
  /** Waits; injectable so unit tests run without real time. */
  readonly wait?: (ms: number) => Promise<void>;
  /** One budget across instances; without it the buckets above are this process's alone. */
  readonly shared?: SharedBudgetOptions;
}

/**
 * Lease terms of the shared budget: up to 10 reads or 5 writes/deletes per lease (half a second of
 * ARM's refill), spendable for 2 s. The shared bucket is ARM's minus 2 s of refill and one batch
 * (sharedCapacity: reads 190, writes and deletes 175), which covers tokens spent up to 2 s after they
 * were leased and returned rests.
 */
export const DEFAULT_LEASE = { batch: { read: 10, write: 5, delete: 5 }, ttlMs: 2000, fallbackShare: 1 / 40 };

/**
 * ARM's buckets per subscription and principal (reads 250 burst / 25 per s, writes and deletes 200 /
 * 10 per s: "Understand how Azure Resource Manager throttles requests", regional throttling and token
 * bucket algorithm). Responses report what is left in x-ms-ratelimit-remaining-subscription-{reads,
 * writes,deletes}; a 429 carries Retry-After in seconds.
 */
export const DEFAULT_LIMITS: ArmCallLimiterOptions = {
  buckets: {
    read: { ratePerSecond: 25, burst: 250 },
    write: { ratePerSecond: 10, burst: 200 },
    delete: { ratePerSecond: 10, burst: 200 },
  },
  lowWatermark: 10,
  maxInlineWaitMs: 2000,
};

interface Scope {
  calls: number;
  /** GET responses of gallery resources already read in this step (cleared by any write). */
  readonly reads: Map<string, PipelineResponse>;
}

const callScope = new AsyncLocalStorage<Scope>();

/**
 * Runs `fn` counting into `counter` the ARM requests it makes (every attempt, retries included).
 * Within that one step, repeated GETs of the same gallery resource are answered from the first read
 * (until any write), so separate readers of the version, definition and gallery cost one request each.
 */
export function countArmCalls<T>(counter: { calls: number }, fn: () => Promise<T>): Promise<T> {
  const scope: Scope = { calls: 0, reads: new Map() };
  return callScope.run(scope, fn).finally(() => {
    counter.calls += scope.calls;
  });
}

function bucketOf(request: PipelineRequest): Bucket {
  if (request.method === 'DELETE') return 'delete';
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
}

const GALLERY_READ = /\/providers\/Microsoft\.Compute\/galleries\//i;

/** How long an instance paces itself on its fallback share before trying the shared budget again. */
const FALLBACK_RETRY_MS = 5000;

/** Leases one request may wait through (each serves a batch of requests) before it is requeued. */
const MAX_LEASE_ROUNDS = 50;

const SUBSCRIPTION = /\/subscriptions\/([^/?]+)/i;

function subscriptionOf(url: string): string {
  return SUBSCRIPTION.exec(url)?.[1]?.toLowerCase() ?? 'tenant';
}

interface HeldLease {
  tokens: number;
  readonly validFromMs: number;
  readonly expiresAtMs: number;
}

/**
 * One limiter shared by every ARM client of the process: token buckets per subscription and request
 * kind, no requests while a Retry-After is pending, and a slowdown when ARM's remaining-request
 * headers run low. With a shared budget the tokens are leased from it, so every instance of the app
 * together stays within the subscription's buckets, and a 429 or a low header holds all of them. It
 * sits after the SDK's retry policy, so each retry is paced and counted too.
 */
export class ArmCallLimiter {
  private readonly tokens = new Map<string, { level: number; at: number }>();
  private readonly blockedUntil = new Map<string, number>();
  private readonly leases = new Map<string, HeldLease>();
  private readonly leasing = new Map<string, Promise<void>>();
  /** While the shared budget is unreachable: until when this instance paces itself on its share. */
  private fallbackUntil = 0;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  /** Requests sent since start, by bucket (for the benchmark). */
  readonly sent: Record<Bucket, number> = { read: 0, write: 0, delete: 0 };
  /** Leases taken from the shared budget, and requests paced by the fallback share instead. */
  readonly sharedStats = { leases: 0, fallbackRequests: 0 };

  constructor(private readonly options: ArmCallLimiterOptions = DEFAULT_LIMITS) {
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Takes a token of `bucket` from this process's own bucket; returns how long to wait (0 = now). */
  reserve(bucket: Bucket, subscriptionId = 'tenant', share = 1): number {
    const now = this.now();
    const { ratePerSecond, burst } = this.options.buckets[bucket];
    const rate = ratePerSecond * share;
    const capacity = Math.max(1, burst * share);
    const key = `${subscriptionId}|${bucket}`;
    const t = this.tokens.get(key) ?? { level: capacity, at: now };
    t.level = Math.min(capacity, t.level + ((now - t.at) / 1000) * rate);
    t.at = now;
    t.level -= 1;
    this.tokens.set(key, t);
    const tokenWait = t.level >= 0 ? 0 : (-t.level / rate) * 1000;
    return Math.max(tokenWait, this.blocked(subscriptionId, bucket) - now, 0);
  }

  /** How long to wait before sending a request of `bucket` to `subscriptionId` (0 = now). */
  async acquire(bucket: Bucket, subscriptionId: string): Promise<number> {
    const shared = this.options.shared;
    if (shared === undefined) return this.reserve(bucket, subscriptionId);
    const key = `${subscriptionId}|${bucket}`;
    return this.acquireShared(shared, key, bucket, subscriptionId);
  }

  private async acquireShared(
    shared: SharedBudgetOptions,
    key: string,
    bucket: Bucket,
    subscriptionId: string,
  ): Promise<number> {
    for (let round = 0; ; round++) {
      const now = this.now();
      // Wait out a hold before taking a token, so the token is spent within its lease.
      const hold = this.blocked(subscriptionId, bucket) - now;
      if (hold > this.options.maxInlineWaitMs) return hold;
      if (hold > 0) {
        await this.wait(hold);
        continue;
      }
      const held = this.leases.get(key);
      if (held !== undefined && held.tokens > 0 && now < held.expiresAtMs) {
        held.tokens -= 1;
        return Math.max(held.validFromMs - now, 0);
      }
      // Many requests of this process share each lease; after too many rounds, requeue instead.
      if (round >= MAX_LEASE_ROUNDS) return this.options.maxInlineWaitMs + 1;
      // The budget is unreachable: pace on our share alone.
      if (now < this.fallbackUntil) {
        this.sharedStats.fallbackRequests += 1;
        return this.reserve(bucket, subscriptionId, shared.fallbackShare);
      }
      let pending = this.leasing.get(key);
      if (pending === undefined) {
        pending = this.takeLease(shared, key, bucket, subscriptionId).finally(() => this.leasing.delete(key));
        this.leasing.set(key, pending);
      }
      await pending;
    }
  }

  private async takeLease(shared: SharedBudgetOptions, key: string, bucket: Bucket, subscriptionId: string): Promise<void> {
    // A batch at a time; the unspent rest of a lapsed lease goes back with the next one.
    const held = this.leases.get(key);
    const returned = held !== undefined && held.tokens > 0 && this.now() >= held.expiresAtMs ? held.tokens : 0;
    if (held !== undefined && returned > 0) held.tokens = 0;
    const terms = { batch: shared.batch[bucket], ttlMs: shared.ttlMs, maxWaitMs: this.options.maxInlineWaitMs, returned };
    try {
      const lease = await shared.budget.lease(subscriptionId, bucket, this.options.buckets[bucket], terms);
      this.fallbackUntil = 0;
      if ('waitMs' in lease) {
        if (lease.waitMs > this.options.maxInlineWaitMs) throw new ArmThrottledError(lease.waitMs);
        await this.wait(lease.waitMs); // a busy budget row: lease again shortly
        return;
      }
      this.sharedStats.leases += 1;
      this.leases.set(key, { tokens: lease.tokens, validFromMs: lease.validFromMs, expiresAtMs: lease.expiresAtMs });
    } catch (error) {
      if (error instanceof ArmThrottledError) throw error;
      if (this.fallbackUntil === 0) shared.onFallback?.(error);
      this.fallbackUntil = this.now() + FALLBACK_RETRY_MS;
    }
  } // prettier-ignore

  private blocked(subscriptionId: string, bucket: Bucket): number {
    return Math.max(
      this.blockedUntil.get(`${subscriptionId}|*`) ?? 0,
      this.blockedUntil.get(`${subscriptionId}|${bucket}`) ?? 0,
    );
  }

  observe(response: PipelineResponse, bucket: Bucket, subscriptionId = 'tenant'): void {
    const now = this.now();
    let until = 0;
    if (response.status === 429) {
      const after = retryAfterMs(response.headers.get('retry-after') ?? undefined, now) ?? 1000;
      until = now + after;
      const any = `${subscriptionId}|*`;
      this.blockedUntil.set(any, Math.max(this.blockedUntil.get(any) ?? 0, until));
    }
    const remaining = lowestRemaining(response, bucket);
    if (remaining !== undefined && remaining < this.options.lowWatermark) {
      // Nearly out: go at the refill rate only, until the bucket is back at the watermark.
      const key = `${subscriptionId}|${bucket}`;
      const t = this.tokens.get(key);
      if (t !== undefined) t.level = Math.min(t.level, 0);
      const lease = this.leases.get(key);
      if (lease !== undefined) lease.tokens = 0;
      const refill = ((this.options.lowWatermark - remaining) / this.options.buckets[bucket].ratePerSecond) * 1000;
      if (this.options.shared !== undefined) until = Math.max(until, now + refill);
    }
    const shared = this.options.shared;
    const key = `${subscriptionId}|${bucket}`;
    if (shared !== undefined && until > (this.blockedUntil.get(key) ?? 0)) {
      this.blockedUntil.set(key, until);
      // Tell every instance; a failure leaves the others to find out from ARM's own headers.
      void shared.budget.block(subscriptionId, bucket, until).catch((error: unknown) => shared.onFallback?.(error));
    }
  } // prettier-ignore

  policy(): PipelinePolicy {
    return {
      name: 'galleryGuardArmCallLimiter',
      sendRequest: async (request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> => {
        const bucket = bucketOf(request);
        const scope = callScope.getStore();
        const cacheable = scope !== undefined && bucket === 'read' && GALLERY_READ.test(request.url);
        const cached = cacheable ? scope.reads.get(request.url) : undefined;
        if (cached !== undefined) return { ...cached, request };
        if (bucket !== 'read') scope?.reads.clear();
        const subscriptionId = subscriptionOf(request.url);
        const delay = await this.acquire(bucket, subscriptionId);
        if (delay > this.options.maxInlineWaitMs) throw new ArmThrottledError(delay);
        if (delay > 0) await this.wait(delay);
        this.sent[bucket] += 1;
        if (scope) scope.calls += 1;
        const response = await next(request);
        this.observe(response, bucket, subscriptionId);
        if (cacheable && response.status === 200 && typeof response.bodyAsText === 'string') {
          scope.reads.set(request.url, response);
          // A read with $expand is a superset of the plain read of the same resource.
          const plain = request.url.replace(/([?&])(?:\$|%24)expand=[^&]*&?/i, '$1').replace(/[?&]$/, '');
          if (plain !== request.url) scope.reads.set(plain, response);
        }
        return response;
      },
    };
  }
}

/** Smallest of the x-ms-ratelimit-remaining-* values relevant to the bucket (generic `name;n` pairs too). */
export function lowestRemaining(response: PipelineResponse, bucket: Bucket): number | undefined {
  const values: number[] = [];
  const plural = bucket === 'read' ? 'reads' : bucket === 'write' ? 'writes' : 'deletes';
  for (const name of [
    `x-ms-ratelimit-remaining-subscription-${plural}`,
    `x-ms-ratelimit-remaining-tenant-${plural}`,
  ]) {
    const v = Number(response.headers.get(name));
    if (response.headers.get(name) !== undefined && Number.isFinite(v)) values.push(v);
  }
  const resource = response.headers.get('x-ms-ratelimit-remaining-resource');
  for (const pair of resource?.split(',') ?? []) {
    const v = Number(pair.split(';')[1]);
    if (Number.isFinite(v)) values.push(v);
  }
  return values.length === 0 ? undefined : Math.min(...values);
}
