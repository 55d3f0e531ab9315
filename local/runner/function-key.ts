import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The host's key check: `?code=` or the `x-functions-key` header, compared in constant time. */
export function hasValidFunctionKey(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  key: string,
): boolean {
  const header = headers['x-functions-key'];
  const supplied = query.get('code') ?? (Array.isArray(header) ? header[0] : header);
  if (supplied === undefined || supplied === null) return false;
  const a = Buffer.from(supplied);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}
