import { prettyFactory } from 'pino-pretty';

// Correlation ids and bookkeeping: useful in JSON queries, noise for a person reading along.
const QUIET = new Set([
  'time',
  'level',
  'message',
  'summary',
  'invocationId',
  'eventId',
  'eventIds',
  'runId',
  'messageId',
  'correlationId',
  'requestId',
  'function',
]);
const MAX_VALUE = 160;

function shorten(text: string): string {
  // ARM ids are long and mostly repeated; the last segments say which resource it is.
  const id = text.startsWith('/subscriptions/') ? `…/${text.split('/').slice(-4).join('/')}` : text;
  const flat = id.replace(/\s+/g, ' ');
  return flat.length <= MAX_VALUE ? flat : `${flat.slice(0, MAX_VALUE - 1)}…`;
}

function describe(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : shorten(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
    return value.length === 0 ? undefined : shorten(value.join(','));
  if (typeof value === 'object' && value !== null && 'message' in value) {
    const { name, message } = value as { name?: unknown; message?: unknown };
    return shorten(`${typeof name === 'string' ? `${name}: ` : ''}${String(message)}`);
  }
  return undefined;
}

/**
 * The text of one entry for a person: its `summary` when the code gave one (run transitions),
 * else the message followed by its scalar fields as `name=value`. Never JSON.
 */
export function readableText(entry: Readonly<Record<string, unknown>>): string {
  if (typeof entry.summary === 'string' && entry.summary !== '') return entry.summary;
  const parts = [typeof entry.message === 'string' ? entry.message : ''];
  for (const [name, value] of Object.entries(entry)) {
    if (QUIET.has(name)) continue;
    const text = describe(value);
    if (text !== undefined) parts.push(`${name}=${text}`);
  }
  return parts.join('  ');
}

/** Renders pino's JSON lines as `HH:MM:ss LEVEL text` with pino-pretty (colours when supported). */
export function createPrettyLine(options: { colorize?: boolean } = {}): (line: string) => string {
  const render = prettyFactory({
    ...(options.colorize === undefined ? {} : { colorize: options.colorize }),
    messageKey: 'message',
    translateTime: 'SYS:HH:MM:ss',
    include: 'level,time',
    hideObject: true,
    singleLine: true,
    errorLikeObjectKeys: [],
    messageFormat: (log) => readableText(log),
  });
  return (line) => {
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return line;
    }
    return render(entry).trimEnd();
  };
}

export const prettyLine = createPrettyLine();
