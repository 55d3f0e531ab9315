import { createLogger, redact, type LogSink } from '../../../shared/logging/logger';
import { createPrettyLine, readableText } from '../../../shared/logging/pretty-line';

function capture(): { lines: string[]; levels: string[]; sink: LogSink } {
  const lines: string[] = [];
  const levels: string[] = [];
  return { lines, levels, sink: (level, line) => (levels.push(level), lines.push(line)) };
}

describe('redaction rules', () => {
  it('masks values of secret-looking field names, keeps ids', () => {
    expect(
      redact({
        password: 'p',
        clientSecret: 's',
        routingKey: 'r',
        teamsWebhookUrl: 'https://x',
        authorization: 'Bearer x',
        apiKey: 'k',
        sig: 'abc',
        credential: 'c',
        subscriptionId: 'sub',
        versionId: '/subscriptions/x',
        name: 'plain',
      }),
    ).toEqual({
      password: '[redacted]',
      clientSecret: '[redacted]',
      routingKey: '[redacted]',
      teamsWebhookUrl: '[redacted]',
      authorization: '[redacted]',
      apiKey: '[redacted]',
      sig: '[redacted]',
      credential: '[redacted]',
      subscriptionId: 'sub',
      versionId: '/subscriptions/x',
      name: 'plain',
    });
  });

  it('masks SAS signatures, query codes, passwords and bearer tokens inside free text', () => {
    expect(redact('https://a.blob/x?sv=1&sig=SECRET%3D&se=2 and ?code=KEY1 password=hunter2')).toBe(
      'https://a.blob/x?sv=1&sig=[redacted]&se=2 and ?code=[redacted] password=[redacted]',
    );
    expect(redact('Authorization: Bearer eyJ0eXAi.abc-def_ghi==')).toBe('Authorization: Bearer [redacted]');
  });

  it('walks nested objects and arrays, and reduces errors to name and message', () => {
    const error = new TypeError('failed at ?token=abc');
    expect(redact({ outer: { list: [{ secret: 'x' }, 'key=v'] }, error })).toEqual({
      outer: { list: [{ secret: '[redacted]' }, 'key=[redacted]'] },
      error: { name: 'TypeError', message: 'failed at ?token=[redacted]' },
    });
  });
});

describe('createLogger (pino)', () => {
  it('writes one JSON object per line with time, level, message and fields', () => {
    const { lines, levels, sink } = capture();
    createLogger({ sink }).warn('Rejected payload', { status: 400, runId: 'r1' });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toEqual({
      level: 'warn',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/) as unknown,
      message: 'Rejected payload',
      status: 400,
      runId: 'r1',
    });
    expect(levels).toEqual(['warn']);
  });

  it('drops lines below the configured level', () => {
    const { lines, sink } = capture();
    const log = createLogger({ sink, level: 'warn' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => (JSON.parse(l) as { message: string }).message)).toEqual(['w', 'e']);
  });

  it('applies the redaction rules to fields, child bindings and the message text', () => {
    const { lines, sink } = capture();
    const log = createLogger({ sink, fields: { webhook: 'https://hook' } }).child({
      invocationId: 'inv-1',
      routingKey: 'R0UTING',
    });
    log.error('post to https://x?sig=S3CRET failed', { error: new Error('Bearer abc.def'), password: 'pw' });
    const text = lines.join('\n');
    for (const secret of ['https://hook', 'R0UTING', 'S3CRET', 'abc.def', '"pw"']) {
      expect(text).not.toContain(secret);
    }
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry.invocationId).toBe('inv-1');
    expect(entry.error).toEqual({ name: 'Error', message: 'Bearer [redacted]' });
  });

  it('child loggers carry their fields on every line without leaking into the parent', () => {
    const { lines, sink } = capture();
    const parent = createLogger({ sink });
    parent.child({ runId: 'r-7' }).info('child line');
    parent.info('parent line');
    const [child, own] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(child?.runId).toBe('r-7');
    expect(own?.runId).toBeUndefined();
  });

  it('renders one readable, non-JSON line per entry in the pretty format', () => {
    const { lines, sink } = capture();
    const log = createLogger({ sink, format: 'pretty' });
    log.info('Validation step done', {
      summary: 'ubuntu-healthy 1.0.0  AwaitReady → InspectBootLogs  (6/12, 3.2 s)',
      phase: 'AwaitReady',
    });
    log.warn('Rejected payload', { status: 400, password: 'pw', invocationId: 'noise' });
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).toThrow();
    expect(lines[0]).toContain('ubuntu-healthy 1.0.0  AwaitReady → InspectBootLogs  (6/12, 3.2 s)');
    expect(lines[1]).toContain('Rejected payload  status=400  password=[redacted]');
    expect(lines[1]).not.toContain('noise');
  });
});

describe('pretty lines', () => {
  it('prefixes the time and level and never prints objects as JSON', () => {
    const render = createPrettyLine({ colorize: false });
    const line = render(
      JSON.stringify({
        level: 'error',
        time: '2026-11-27T10:00:00.000Z',
        message: 'Ingest failed',
        error: { name: 'RestError', message: 'boom' },
        nested: { deep: { a: 1 } },
        versionId:
          '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.0',
      }),
    );
    expect(line).toMatch(
      /^\[\d\d:\d\d:\d\d\] ERROR: Ingest failed {2}error=RestError: boom {2}versionId=…\/images\/i\/versions\/1\.0\.0$/,
    );
  });

  it('uses the summary alone when an entry has one', () => {
    expect(
      readableText({ message: 'Validation run complete', summary: 'img 1.0  Passed', verdict: 'Passed' }),
    ).toBe('img 1.0  Passed');
  });
});
