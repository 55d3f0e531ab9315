/**
 * JSON POST to a webhook with backoff on 429/5xx and network errors, honouring Retry-After. The URL is
 * a secret: it never appears in a result, an error or a log line.
 */
export interface PostResponse {
  readonly status: number;
  /** From Retry-After (seconds or HTTP date), when the server sent one. */
  readonly retryAfterMs?: number;
}

export type HttpPost = (url: string, body: unknown) => Promise<PostResponse>;

export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function createFetchPost(timeoutMs = 15_000): HttpPost {
  return async (url, body) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.arrayBuffer(); // drain so the connection is reused
    return {
      status: response.status,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), Date.now()),
    };
  };
}

export interface RetryOptions {
  /** Tries in this invocation; the caller requeues when they are used up. */
  readonly tries: number;
  readonly baseMs: number;
  /** A longer Retry-After ends this invocation's tries and is handed to the caller instead. */
  readonly maxDelayMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export type PostOutcome =
  | { readonly kind: 'delivered'; readonly status: number; readonly tries: number }
  | { readonly kind: 'permanent'; readonly status: number; readonly tries: number; readonly error: string }
  | {
      readonly kind: 'transient';
      readonly status?: number;
      readonly tries: number;
      readonly error: string;
      readonly retryAfterMs?: number;
    };

function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function describe(thrown: unknown): string {
  // Only the error's name/code: fetch errors may echo the URL, which is a secret.
  if (thrown instanceof Error) {
    const code = (thrown.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' ? `${thrown.name} (${code})` : thrown.name;
  }
  return 'network error';
}

export async function postWithRetry(
  post: HttpPost,
  url: string,
  body: unknown,
  options: RetryOptions,
): Promise<PostOutcome> {
  let last: PostOutcome = { kind: 'transient', tries: 0, error: 'not tried' };
  for (let tries = 1; tries <= options.tries; tries++) {
    let retryAfterMs: number | undefined;
    try {
      const response = await post(url, body);
      if (response.status >= 200 && response.status < 300)
        return { kind: 'delivered', status: response.status, tries };
      if (!isRetryable(response.status)) {
        return { kind: 'permanent', status: response.status, tries, error: `HTTP ${response.status}` };
      }
      retryAfterMs = response.retryAfterMs;
      last = {
        kind: 'transient',
        status: response.status,
        tries,
        error: `HTTP ${response.status}`,
        retryAfterMs,
      };
    } catch (thrown) {
      last = { kind: 'transient', tries, error: describe(thrown) };
    }
    if (tries === options.tries) break;
    const delay = retryAfterMs ?? options.baseMs * 2 ** (tries - 1);
    if (delay > options.maxDelayMs) return last;
    await options.sleep(delay);
  }
  return last;
}
