import type { LogHandler } from '@azure/functions';
import type { Logger } from '../../shared/logging/logger';

/** Routes `context.log/warn/error(...)` of a handler into the structured logger. */
export function invocationLogHandler(logger: Logger): LogHandler {
  return (level, ...args) => {
    const message = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    if (level === 'error' || level === 'critical') logger.error(message);
    else if (level === 'warning') logger.warn(message);
    else if (level === 'debug' || level === 'trace') logger.debug(message);
    else logger.info(message);
  };
}
