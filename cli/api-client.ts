/** A thin HTTP client of the operator API: function key in `x-functions-key`, JSON both ways. */
export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

export interface ApiClient {
  readonly baseUrl: string;
  get(route: string, query?: Readonly<Record<string, string | undefined>>): Promise<ApiResponse>;
  post(route: string, body: unknown, headers?: Readonly<Record<string, string>>): Promise<ApiResponse>;
}

export class ApiUnreachableError extends Error {
  constructor(url: string, cause: unknown) {
    const detail =
      cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause);
    super(`cannot reach ${url}: ${detail}`);
    this.name = 'ApiUnreachableError';
  }
}

export function createApiClient(
  baseUrl: string,
  key: string,
  fetchImpl: typeof fetch = fetch,
  token?: string,
): ApiClient {
  const base = baseUrl.replace(/\/+$/, '');
  const call = async (
    method: string,
    route: string,
    query: Readonly<Record<string, string | undefined>>,
    body?: unknown,
    extra: Readonly<Record<string, string>> = {},
  ) => {
    const url = new URL(`${base}/api/${route}`);
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) url.searchParams.set(name, value);
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method,
        headers: {
          'x-functions-key': key,
          ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...extra,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new ApiUnreachableError(`${base}/api/${route}`, error);
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  };
  return {
    baseUrl: base,
    get: (route, query = {}) => call('GET', route, query),
    post: (route, body, headers) => call('POST', route, {}, body, headers),
  };
}
