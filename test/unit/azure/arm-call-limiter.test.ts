import type { PipelineResponse } from '@azure/core-rest-pipeline';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import {
  ArmCallLimiter,
  ArmThrottledError,
  countArmCalls,
  lowestRemaining,
} from '../../../shared/azure/arm-call-limiter';

function harness(options: { burst?: number; rate?: number } = {}) {
  let now = 0;
  const waits: number[] = [];
  const limiter = new ArmCallLimiter({
    buckets: {
      read: { ratePerSecond: options.rate ?? 10, burst: options.burst ?? 2 },
      write: { ratePerSecond: options.rate ?? 10, burst: options.burst ?? 2 },
      delete: { ratePerSecond: options.rate ?? 10, burst: options.burst ?? 2 },
    },
    lowWatermark: 5,
    maxInlineWaitMs: 2000,
    now: () => now,
    wait: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
  });
  return { limiter, waits, advance: (ms: number) => (now += ms) };
}

const respond =
  (status: number, headers: Record<string, string> = {}, body = '{}') =>
  (request: ReturnType<typeof createPipelineRequest>): Promise<PipelineResponse> =>
    Promise.resolve({ request, status, headers: createHttpHeaders(headers), bodyAsText: body });

describe('ArmCallLimiter', () => {
  it('lets a burst through, then paces at the refill rate', () => {
    const { limiter } = harness({ burst: 2, rate: 10 });
    expect([limiter.reserve('write'), limiter.reserve('write'), limiter.reserve('write')]).toEqual([
      0, 0, 100,
    ]);
  });

  it('holds every request while a Retry-After is pending, and requeues instead of waiting long', async () => {
    const { limiter, waits } = harness({ burst: 100 });
    const policy = limiter.policy();
    const get = createPipelineRequest({ url: 'https://arm/subscriptions/s/x', method: 'GET' });
    await policy.sendRequest(get, respond(429, { 'retry-after': '1' }));
    await policy.sendRequest(get, respond(200));
    expect(waits).toEqual([1000]);
    await policy.sendRequest(get, respond(429, { 'retry-after': '30' }));
    await expect(policy.sendRequest(get, respond(200))).rejects.toBeInstanceOf(ArmThrottledError);
  });

  it('counts requests per step and answers repeated gallery reads within a step from the first', async () => {
    const { limiter } = harness({ burst: 100 });
    const policy = limiter.policy();
    const url =
      'https://arm/subscriptions/s/resourceGroups/r/providers/Microsoft.Compute/galleries/g/images/i';
    let sent = 0;
    const next = (request: ReturnType<typeof createPipelineRequest>) => {
      sent++;
      return respond(200)(request);
    };
    const counter = { calls: 0 };
    await countArmCalls(counter, async () => {
      await policy.sendRequest(
        createPipelineRequest({ url: `${url}?$expand=ReplicationStatus`, method: 'GET' }),
        next,
      );
      await policy.sendRequest(createPipelineRequest({ url, method: 'GET' }), next);
      await policy.sendRequest(createPipelineRequest({ url, method: 'PATCH' }), next);
      await policy.sendRequest(createPipelineRequest({ url, method: 'GET' }), next);
    });
    // The plain GET is served by the expanded one; the GET after the PATCH goes to ARM again.
    expect([sent, counter.calls]).toEqual([3, 3]);
  });

  it('reads the lowest x-ms-ratelimit-remaining value, including name;n pairs', () => {
    const response = {
      headers: createHttpHeaders({
        'x-ms-ratelimit-remaining-subscription-writes': '40',
        'x-ms-ratelimit-remaining-resource':
          'Microsoft.Compute/PutVM3Min;7,Microsoft.Compute/PutVM30Min;1198',
      }),
    } as PipelineResponse;
    expect(lowestRemaining(response, 'write')).toBe(7);
  });
});
