import { createHash } from 'node:crypto';

/**
 * Table Storage forbids `/ \ # ?` and control characters in PartitionKey/RowKey and caps keys at 1 KiB.
 * Everything that becomes a key goes through here, so no caller-supplied text can produce an invalid
 * (or, worse, a colliding) key.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[/\\#?\u0000-\u001f\u007f-\u009f]/;
// `~` is the escape character and `|` our separator, so both are escaped too; `%` is avoided because
// some tools URL-decode keys.
// eslint-disable-next-line no-control-regex
const ESCAPED = /[/\\#?~%|\u0000-\u001f\u007f-\u009f]/g;
const MAX_KEY_CHARS = 512;

export class TableKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TableKeyError';
  }
}

/** Throws unless `key` is a legal PartitionKey/RowKey. */
export function assertTableKey(key: string): string {
  if (key.length === 0) throw new TableKeyError('Table key is empty');
  if (key.length > MAX_KEY_CHARS) throw new TableKeyError(`Table key longer than ${MAX_KEY_CHARS} chars`);
  if (FORBIDDEN.test(key)) throw new TableKeyError(`Table key contains a forbidden character: "${key}"`);
  return key;
}

/**
 * Reversible escaping of arbitrary text into a legal key (`~` + two hex digits per forbidden char).
 * Over-long text is shortened to a prefix plus a hash so that distinct inputs stay distinct.
 */
export function escapeTableKey(text: string): string {
  const escaped = text.replace(ESCAPED, (c) => `~${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  if (escaped.length === 0) return '~';
  if (escaped.length <= MAX_KEY_CHARS) return escaped;
  const hash = createHash('sha256').update(text).digest('hex');
  return `${escaped.slice(0, MAX_KEY_CHARS - 66)}~~${hash}`;
}
