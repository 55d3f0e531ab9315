/**
 * Table Storage refuses a string property over 64 KiB (32 K UTF-16 characters; PropertyValueTooLarge)
 * and an entity over 1 MiB. Free text that comes from outside (event ids, reasons quoting payload
 * fields, subjects) is bounded to this many characters per column, so no input can make a write fail.
 */
export const MAX_TEXT_COLUMN_CHARS = 4096;

/** `text` cut to `max` characters with a marker saying how much was dropped (never splits a surrogate pair). */
export function boundedText(text: string, max = MAX_TEXT_COLUMN_CHARS): string {
  if (text.length <= max) return text;
  const marker = `…[truncated: ${text.length} chars]`;
  let cut = Math.max(0, max - marker.length);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return `${text.slice(0, cut)}${marker}`;
}
