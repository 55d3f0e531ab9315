import { logs, SeverityNumber, type AnyValueMap } from '@opentelemetry/api-logs';
import type { LogSink } from '../logging/logger';

const SEVERITY: Readonly<Record<string, SeverityNumber>> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

export interface LogRecordInput {
  readonly severityNumber: SeverityNumber;
  readonly severityText: string;
  readonly body: string;
  /** Every field of the line, flat: App Insights shows them as customDimensions. */
  readonly attributes: AnyValueMap;
}

/**
 * One JSON log line (already redacted by the logger) as an OpenTelemetry log record: the message is
 * the body, every other field an attribute (objects as JSON text), so KQL reads
 * `customDimensions.runId` instead of parsing the message. Not JSON (pretty lines): undefined.
 */
export function logRecordOf(line: string): LogRecordInput | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  const { level, message, ...fields } = parsed as Record<string, unknown>;
  const severityText = typeof level === 'string' ? level : 'info';
  const attributes: AnyValueMap = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null) continue;
    attributes[name] =
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : JSON.stringify(value);
  }
  return {
    severityNumber: SEVERITY[severityText] ?? SeverityNumber.INFO,
    severityText,
    body: typeof message === 'string' ? message : '',
    attributes,
  };
}

/** Passes every line on to `next` (the console the Functions host shows) and to App Insights. */
export function appInsightsLogSink(next: LogSink): LogSink {
  const logger = logs.getLogger('gallery-guard');
  return (level, line) => {
    next(level, line);
    const record = logRecordOf(line);
    if (record !== undefined) logger.emit(record);
  };
}
