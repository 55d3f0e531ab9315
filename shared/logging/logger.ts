import type { LogLevel } from '../config';

/** Correlation ids carried on every line; add whatever else locates the work. */
export interface LogFields {
  readonly eventId?: string;
  readonly runId?: string;
  readonly versionId?: string;
  readonly invocationId?: string;
  readonly [key: string]: unknown;
}

export type LogSink = (level: LogLevel, line: string) => void;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line also carries `fields` (correlation ids). */
  child(fields: LogFields): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
// Field names whose values must never reach a log line, whatever the caller passes.
const SECRET_FIELD = /pass(word)?|secret|token|key$|routingkey|webhook|sig|credential|authorization/i;
// Values that look like secrets inside free text: SAS signatures, bearer tokens, URL query codes.
const SECRET_TEXT = /((?:sig|code|key|token|password)=)[^&\s"]+|(Bearer\s+)[A-Za-z0-9._~+/-]+=*/gi;

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(SECRET_TEXT, '$1$2[redacted]');
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: redact(value.message, depth + 1) };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SECRET_FIELD.test(k) && !/Id$/.test(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export const consoleSink: LogSink = (level, line) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

export function createLogger(options: { level?: LogLevel; sink?: LogSink; fields?: LogFields } = {}): Logger {
  const minimum = ORDER[options.level ?? 'info'];
  const sink = options.sink ?? consoleSink;
  const base = options.fields ?? {};
  const write = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (ORDER[level] < minimum) return;
    const entry = { time: new Date().toISOString(), level, message, ...base, ...fields };
    sink(level, JSON.stringify(redact(entry)));
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger({ level: options.level, sink, fields: { ...base, ...fields } }),
  };
}

/** Normalises anything thrown into an Error before it is logged or wrapped. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error
    ? thrown
    : new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}
