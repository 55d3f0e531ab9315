import { PayloadError } from './version-signal';

/**
 * Event Grid delivers at most 5,000 events per batch ("Max events per batch ... Must be between 1 and
 * 5,000", https://learn.microsoft.com/azure/event-grid/delivery-and-retry); a request with more did not
 * come from Event Grid and is refused before any work (413, which Event Grid does not retry).
 */
export const MAX_EVENTS_PER_REQUEST = 5000;

/** A lone UTF-16 surrogate: legal in JSON (`"\ud800"`), but no table key, URL or log line can carry it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function hasLoneSurrogate(text: string): boolean {
  return LONE_SURROGATE.test(text);
}

/** The request exceeds a limit of ours: HTTP 413 with the reason. */
export class PayloadTooLargeError extends PayloadError {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadTooLargeError';
  }
}

/**
 * JSON.parse for webhook bodies: malformed JSON, a string or key with a lone surrogate (permanent bad
 * input that would otherwise fail deep in key encoding with URIError) and more than
 * MAX_EVENTS_PER_REQUEST events are PayloadErrors, so the caller answers 4xx (never retried) at once.
 */
export function parsePayloadJson(body: string): unknown {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body, (key, value: unknown) => {
      if (hasLoneSurrogate(key) || (typeof value === 'string' && hasLoneSurrogate(value))) {
        throw new PayloadError(`Field "${key.slice(0, 100)}" holds a lone UTF-16 surrogate (not valid text)`);
      }
      return value;
    });
  } catch (error) {
    if (error instanceof PayloadError) throw error;
    throw new PayloadError('Body is not valid JSON', { cause: error });
  }
  if (Array.isArray(parsed) && parsed.length > MAX_EVENTS_PER_REQUEST) {
    throw new PayloadTooLargeError(
      `${parsed.length} events in one request; Event Grid sends at most ${MAX_EVENTS_PER_REQUEST}`,
    );
  }
  return parsed;
}
