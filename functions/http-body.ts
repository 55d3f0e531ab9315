import type { HttpRequest } from '@azure/functions';

/** Event Grid and action-group payloads are far below this; anything larger is refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The request body as text, or undefined if it exceeds `maxBytes` (checked before and after reading). */
export async function readBodyText(
  request: HttpRequest,
  maxBytes = MAX_BODY_BYTES,
): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) return undefined;
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > maxBytes) return undefined;
  return bytes.toString('utf8');
}
