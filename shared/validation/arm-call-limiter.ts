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
  /** Sustained requests per second per bucket (ARM: reads 25/s, writes and deletes 10/s). */
  readonly ratePerSecond: Readonly<Record<Bucket, number>>;
  /** Below this many remaining requests (x-ms-ratelimit-remaining-*) we slow to a trickle. */
  readonly lowWatermark: number;
  /** Longest we wait in-process; beyond it the step is requeued with the delay instead. */
  readonly maxInlineWaitMs: number;
  readonly now?: () => number;
  /** Waits; injectable so unit tests run without real time. */
  readonly wait?: (ms: number) => Promise<void>;
}

export const DEFAULT_LIMITS: ArmCallLimiterOptions = {
  ratePerSecond: { read: 20, write: 8, delete: 8 },
  lowWatermark: 10,
  maxInlineWaitMs: 2000,
};

const callScope = new AsyncLocalStorage<{ calls: number }>();

/** Runs `fn` counting into `counter` the ARM requests it makes (every attempt, retries included). */
export function countArmCalls<T>(counter: { calls: number }, fn: () => Promise<T>): Promise<T> {
  return callScope.run(counter, fn);
}

function bucketOf(request: PipelineRequest): Bucket {
  if (request.method === 'DELETE') return 'delete';
  return request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write';
}

/**
 * One limiter shared by every ARM client of the process: paces requests per bucket, stops sending while
 * a Retry-After is pending, and slows down when ARM's remaining-request headers run low. It sits after
 * the SDK's retry policy, so each retry is paced and counted too.
 */
export class ArmCallLimiter {
  private readonly nextSlot: Record<Bucket, number> = { read: 0, write: 0, delete: 0 };
  private blockedUntil = 0;
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  /** Requests sent since start, by bucket (for the benchmark). */
  readonly sent: Record<Bucket, number> = { read: 0, write: 0, delete: 0 };

  constructor(private readonly options: ArmCallLimiterOptions = DEFAULT_LIMITS) {
    this.now = options.now ?? Date.now;
    this.wait = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Delay before a request of `bucket` may go; reserves its slot. */
  reserve(bucket: Bucket): number {
    const now = this.now();
    const start = Math.max(now, this.nextSlot[bucket], this.blockedUntil);
    this.nextSlot[bucket] = start + 1000 / this.options.ratePerSecond[bucket];
    return start - now;
  }

  observe(response: PipelineResponse, bucket: Bucket): void {
    const now = this.now();
    if (response.status === 429) {
      const after = retryAfterMs(response.headers.get('retry-after') ?? undefined, now) ?? 1000;
      this.blockedUntil = Math.max(this.blockedUntil, now + after);
    }
    const remaining = lowestRemaining(response, bucket);
    if (remaining !== undefined && remaining < this.options.lowWatermark) {
      // Nearly out: space requests of this bucket a second apart until the bucket refills.
      this.nextSlot[bucket] = Math.max(this.nextSlot[bucket], now + 1000);
    }
  }

  policy(): PipelinePolicy {
    return {
      name: 'galleryGuardArmCallLimiter',
      sendRequest: async (request: PipelineRequest, next: SendRequest): Promise<PipelineResponse> => {
        const bucket = bucketOf(request);
        const delay = this.reserve(bucket);
        if (delay > this.options.maxInlineWaitMs) throw new ArmThrottledError(delay);
        if (delay > 0) await this.wait(delay);
        this.sent[bucket] += 1;
        const scope = callScope.getStore();
        if (scope) scope.calls += 1;
        const response = await next(request);
        this.observe(response, bucket);
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
