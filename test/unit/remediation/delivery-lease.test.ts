import { postWithRetry } from '../../../shared/notify/http-post';
import { deliveryDeps, type VerdictActionsDeps } from '../../../shared/remediation/verdict-actions-deps';

/** The parts of VerdictActionsDeps that deliveryDeps reads; the rest is not touched here. */
function depsWith(timeoutMs: number, sleep: (ms: number) => Promise<void>): VerdictActionsDeps {
  const partial = {
    config: { notify: { retryBaseMs: 1000, timeoutMs }, remediation: { maxAttempts: 5 } },
    notificationTable: {},
    post: () => Promise.reject(new Error('not used')),
    clock: () => new Date(0),
    sleep,
  };
  return partial as unknown as VerdictActionsDeps;
}

describe('delivery claim lease', () => {
  it.each([2000, 15_000, 120_000])(
    'outlasts the slowest invocation when every post times out after %i ms and asks to wait its longest',
    async (timeoutMs) => {
      let elapsed = 0;
      const sleep = (ms: number): Promise<void> => {
        elapsed += ms;
        return Promise.resolve();
      };
      const deps = deliveryDeps(depsWith(timeoutMs, sleep));
      const slowest = (): Promise<{ status: number; retryAfterMs: number }> => {
        elapsed += timeoutMs; // the post took its whole timeout
        return Promise.resolve({ status: 503, retryAfterMs: deps.retry.maxDelayMs });
      };
      const outcome = await postWithRetry(slowest, 'https://hooks.example/x', {}, deps.retry);
      expect(outcome).toMatchObject({ kind: 'transient', tries: deps.retry.tries });
      // Never taken from a live holder, and not held much longer than the holder can need.
      expect(elapsed).toBeLessThan(deps.leaseMs);
      expect(deps.leaseMs - elapsed).toBeLessThanOrEqual(1000);
    },
  );
});
