import {
  parseRetryAfter,
  postWithRetry,
  type HttpPost,
  type PostResponse,
} from '../../../shared/notify/http-post';

/** A webhook that answers with `responses` in order (the last one repeats); counts the calls. */
function scripted(responses: (PostResponse | Error)[]): { post: HttpPost; calls: number } {
  const fake = {
    calls: 0,
    post: (_url: string, _body: unknown): Promise<PostResponse> => {
      const next = responses[Math.min(fake.calls, responses.length - 1)]!;
      fake.calls++;
      return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
    },
  };
  return fake;
}

function options(delays: number[], tries = 4) {
  return {
    tries,
    baseMs: 100,
    maxDelayMs: 30_000,
    sleep: (ms: number) => Promise.resolve(void delays.push(ms)),
  };
}

describe('postWithRetry', () => {
  it('delivers after 429s, waiting as long as Retry-After says', async () => {
    const fake = scripted([
      { status: 429, retryAfterMs: 2000 },
      { status: 429, retryAfterMs: 1000 },
      { status: 200 },
    ]);
    const delays: number[] = [];
    const outcome = await postWithRetry(fake.post, 'https://hook', {}, options(delays));
    expect(outcome).toEqual({ kind: 'delivered', status: 200, tries: 3 });
    expect(delays).toEqual([2000, 1000]);
  });

  it('backs off exponentially on 5xx and network errors without Retry-After', async () => {
    const fake = scripted([{ status: 503 }, new Error('socket hang up'), { status: 502 }, { status: 202 }]);
    const delays: number[] = [];
    const outcome = await postWithRetry(fake.post, 'https://hook', {}, options(delays));
    expect(outcome.kind).toBe('delivered');
    expect(delays).toEqual([100, 200, 400]);
  });

  it('does not retry a 4xx other than 408/429', async () => {
    const fake = scripted([{ status: 400 }, { status: 200 }]);
    const outcome = await postWithRetry(fake.post, 'https://hook', {}, options([]));
    expect(outcome).toEqual({ kind: 'permanent', status: 400, tries: 1, error: 'HTTP 400' });
    expect(fake.calls).toBe(1);
  });

  it('hands back a transient outcome when tries run out or Retry-After is too long', async () => {
    const exhausted = await postWithRetry(
      scripted([{ status: 500 }]).post,
      'https://hook',
      {},
      options([], 3),
    );
    expect(exhausted).toMatchObject({ kind: 'transient', tries: 3, status: 500 });
    const long = await postWithRetry(
      scripted([{ status: 429, retryAfterMs: 600_000 }]).post,
      'https://hook',
      {},
      options([]),
    );
    expect(long).toMatchObject({ kind: 'transient', tries: 1, retryAfterMs: 600_000 });
  });

  it('never puts the URL (a secret) into an outcome', async () => {
    const secretUrl = 'https://prod.example/workflows/abc?sig=SECRET';
    const outcome = await postWithRetry(
      scripted([new TypeError(`fetch failed ${secretUrl}`)]).post,
      secretUrl,
      {},
      options([], 1),
    );
    expect(JSON.stringify(outcome)).not.toContain('SECRET');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
  });
});
