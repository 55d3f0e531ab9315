import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  PipelinePolicy,
  PipelineRequest,
  PipelineResponse,
  SendRequest,
} from '@azure/core-rest-pipeline';
import { retryAfterMs } from './arm-error-classification';

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

type Bucket = 'read' | 'write' | 'delete';

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
}

/** ARM's per-subscription buckets (reads 250 burst / 25 per s, writes and deletes 200 / 10 per s). */
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

/**
 * One limiter shared by every ARM client of the process: token buckets per request kind, no requests
 * while a Retry-After is pending, and a slowdown when ARM's remaining-request headers run low. It sits
 * after the SDK's retry policy, so each retry is paced and counted too.
 */
export class ArmCallLimiter {
  private readonly tokens: Record<Bucket, { level: number; at: number }>;
  private blockedUntil = 0;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  /** Requests sent since start, by bucket (for the benchmark). */
  readonly sent: Record<Bucket, number> = { read: 0, write: 0, delete: 0 };

  constructor(private readonly options: ArmCallLimiterOptions = DEFAULT_LIMITS) {
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const start = this.now();
    const full = (b: Bucket) => ({ level: options.buckets[b].burst, at: start });
    this.tokens = { read: full('read'), write: full('write'), delete: full('delete') };
  }

  /** Takes a token of `bucket`; returns how long to wait before sending (0 = now). */
  reserve(bucket: Bucket): number {
    const now = this.now();
    const { ratePerSecond, burst } = this.options.buckets[bucket];
    const t = this.tokens[bucket];
    t.level = Math.min(burst, t.level + ((now - t.at) / 1000) * ratePerSecond);
    t.at = now;
    t.level -= 1;
    const tokenWait = t.level >= 0 ? 0 : (-t.level / ratePerSecond) * 1000;
    return Math.max(tokenWait, this.blockedUntil - now, 0);
  }

  observe(response: PipelineResponse, bucket: Bucket): void {
    const now = this.now();
    if (response.status === 429) {
      const after = retryAfterMs(response.headers.get('retry-after') ?? undefined, now) ?? 1000;
      this.blockedUntil = Math.max(this.blockedUntil, now + after);
    }
    const remaining = lowestRemaining(response, bucket);
    if (remaining !== undefined && remaining < this.options.lowWatermark) {
      // Nearly out: drain our bucket so requests of this kind go out at the refill rate only.
      this.tokens[bucket].level = Math.min(this.tokens[bucket].level, 0);
    }
  }

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
        const delay = this.reserve(bucket);
        if (delay > this.options.maxInlineWaitMs) throw new ArmThrottledError(delay);
        if (delay > 0) await this.wait(delay);
        this.sent[bucket] += 1;
        if (scope) scope.calls += 1;
        const response = await next(request);
        this.observe(response, bucket);
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
