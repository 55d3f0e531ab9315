import { SeverityNumber } from '@opentelemetry/api-logs';
import { logRecordOf } from '../../../shared/telemetry/log-records';

describe('log lines as OpenTelemetry log records (App Insights customDimensions)', () => {
  it('keeps the message as the body and every field as a flat attribute', () => {
    const line = JSON.stringify({
      level: 'warn',
      time: '2026-01-01T00:00:00.000Z',
      message: 'Validation step failed; will retry',
      runId: 'abc|1',
      attempt: 2,
      transient: true,
      error: { name: 'RestError', message: 'throttled' },
    });
    expect(logRecordOf(line)).toEqual({
      severityNumber: SeverityNumber.WARN,
      severityText: 'warn',
      body: 'Validation step failed; will retry',
      attributes: {
        time: '2026-01-01T00:00:00.000Z',
        runId: 'abc|1',
        attempt: 2,
        transient: true,
        error: '{"name":"RestError","message":"throttled"}',
      },
    });
  });

  it('ignores lines that are not JSON objects (pretty output)', () => {
    expect(logRecordOf('12:00:00 INFO  Validation step done')).toBeUndefined();
    expect(logRecordOf('[1,2]')).toBeUndefined();
  });
});
