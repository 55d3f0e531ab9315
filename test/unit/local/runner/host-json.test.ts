import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_QUEUE_DEFAULTS, readHostQueueSettings, timeSpanMs } from '../../../../local/runner/host-json';

const dir = mkdtempSync(join(tmpdir(), 'gg-host-json-'));
function hostJson(content: unknown): string {
  const file = join(dir, `host-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('host.json queue settings', () => {
  it("reads the project's host.json: batch 16, 5 deliveries before poison, 10 s retry visibility", () => {
    expect(readHostQueueSettings(join(__dirname, '..', '..', '..', '..', 'host.json'))).toEqual({
      batchSize: 16,
      maxDequeueCount: 5,
      visibilityTimeoutMs: 10_000,
      maxPollingIntervalMs: 60_000,
    });
  });

  it('takes every value it finds and the host defaults for the rest', () => {
    const file = hostJson({
      extensions: { queues: { batchSize: 4, maxDequeueCount: 2, maxPollingInterval: '00:00:02' } },
    });
    expect(readHostQueueSettings(file)).toEqual({
      batchSize: 4,
      maxDequeueCount: 2,
      visibilityTimeoutMs: 0,
      maxPollingIntervalMs: 2000,
    });
    expect(readHostQueueSettings(join(dir, 'absent.json'))).toEqual(HOST_QUEUE_DEFAULTS);
  });

  it('names the bad field', () => {
    expect(() => readHostQueueSettings(hostJson({ extensions: { queues: { batchSize: 64 } } }))).toThrow(
      /extensions\.queues\.batchSize must be a whole number from 1 to 32/,
    );
    expect(() =>
      readHostQueueSettings(hostJson({ extensions: { queues: { visibilityTimeout: '10s' } } })),
    ).toThrow(/visibilityTimeout must be a TimeSpan/);
    expect(() => readHostQueueSettings(hostJson('{ not json'))).toThrow(/not valid JSON/);
  });

  it.each([
    ['00:00:10', 10_000],
    ['01:02:03', 3_723_000],
    ['1.00:00:00', 86_400_000],
    ['00:00:00.250', 250],
  ])('reads the TimeSpan %s as %d ms', (text, ms) => {
    expect(timeSpanMs(text)).toBe(ms);
  });
});
