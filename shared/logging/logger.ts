import pino from 'pino';
import type { LogLevel } from '../config';
import type * as prettyModule from './pretty-line';
import { redact } from './redact';

type PrettyModule = typeof prettyModule;

export { redact } from './redact';

/** Correlation ids carried on every line; add whatever else locates the work. */
export interface LogFields {
  readonly eventId?: string;
  readonly runId?: string;
  readonly versionId?: string;
  readonly invocationId?: string;
  /** One readable line for a person at a terminal (pretty format); JSON keeps it as a field. */
  readonly summary?: string;
  readonly [key: string]: unknown;
}

/** Receives every finished line (JSON, or the pretty rendering) with its level. */
export type LogSink = (level: LogLevel, line: string) => void;

/** `json`: one JSON object per line (Azure, App Insights, pipes); `pretty`: one readable line. */
export type LogFormat = 'json' | 'pretty';

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose every line also carries `fields` (correlation ids). */
  child(fields: LogFields): Logger;
}

export const consoleSink: LogSink = (level, line) => {
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
};

const LEVEL_OF_LINE = /^\{"level":"(debug|info|warn|error)"/;

/**
 * Where pino writes: every serialized JSON line goes to the sink as it is (json) or rendered by
 * pino-pretty (pretty, loaded only then so JSON processes never pay for it).
 */
function destination(sink: LogSink, format: LogFormat): { write(line: string): void } {
  const render = format === 'pretty' ? prettyRenderer() : undefined;
  return {
    write(chunk: string): void {
      const line = chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk;
      const level = (LEVEL_OF_LINE.exec(line)?.[1] ?? 'info') as LogLevel;
      sink(level, render === undefined ? line : render(line));
    },
  };
}

function prettyRenderer(): (line: string) => string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { prettyLine } = require('./pretty-line') as PrettyModule;
  return prettyLine;
}

export function createLogger(
  options: { level?: LogLevel; sink?: LogSink; fields?: LogFields; format?: LogFormat } = {},
): Logger {
  const root = pino(
    {
      level: options.level ?? 'info',
      messageKey: 'message',
      base: undefined,
      timestamp: () => `,"time":"${new Date().toISOString()}"`,
      formatters: {
        level: (label) => ({ level: label }),
        // Every field goes through the same redaction rules (child bindings: see bind()).
        log: (fields) => redact(fields) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          method.apply(this, [first, ...rest.map((a) => redact(a))] as Parameters<typeof method>);
        },
      },
    },
    destination(options.sink ?? consoleSink, options.format ?? 'json'),
  );
  return wrap(options.fields === undefined ? root : bind(root, options.fields));
}

/** pino applies no formatter to a child's bindings, so they are redacted here. */
function bind(instance: pino.Logger, fields: LogFields): pino.Logger {
  return instance.child(redact(fields) as Record<string, unknown>);
}

function wrap(instance: pino.Logger): Logger {
  return {
    debug: (m, f) => instance.debug(f ?? {}, m),
    info: (m, f) => instance.info(f ?? {}, m),
    warn: (m, f) => instance.warn(f ?? {}, m),
    error: (m, f) => instance.error(f ?? {}, m),
    child: (fields) => wrap(bind(instance, fields)),
  };
}

/** Normalises anything thrown into an Error before it is logged or wrapped. */
export function toError(thrown: unknown): Error {
  return thrown instanceof Error
    ? thrown
    : new Error(typeof thrown === 'string' ? thrown : JSON.stringify(thrown));
}
