import type { LogFields, LogFormat, Logger } from '../shared/logging/logger';

/**
 * What `npm start` prints besides log lines (banner, cards, demo results): plain text for a person
 * (pretty), or one JSON entry per message (json), so `GG_LOG_FORMAT=json npm start` prints nothing
 * but JSON lines.
 */
export interface ConsoleOutput {
  readonly format: LogFormat;
  say(text: string, fields?: LogFields): void;
  fail(text: string, fields?: LogFields): void;
}

export function createConsoleOutput(format: LogFormat, logger: Logger): ConsoleOutput {
  if (format === 'pretty') {
    return { format, say: (text) => console.log(text), fail: (text) => console.error(text) };
  }
  const entry = (text: string, fields?: LogFields): [string, LogFields] => {
    const [first = '', ...rest] = text.split('\n');
    return [first.trim(), { ...(rest.length === 0 ? {} : { text }), ...fields }];
  };
  return {
    format,
    say: (text, fields) => logger.info(...entry(text, fields)),
    fail: (text, fields) => logger.error(...entry(text, fields)),
  };
}
