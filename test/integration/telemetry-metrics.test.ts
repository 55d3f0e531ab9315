import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultRule } from '../../local/arm-sim';
import { POISON_QUEUE_NAME } from '../../shared/operator/poison-queue';
import { METRICS } from '../../shared/telemetry/metric-names';
import type { MetricSnapshot } from '../../shared/telemetry/telemetry';
import { startValidationHarness, type ValidationHarness } from './validation-harness';

// Every metric of METRICS is emitted by the real code paths over the demo and read back from
// GET /api/metrics (the in-memory reader the same SDK feeds Application Insights from).
const FAULTS: FaultRule[] = [
  // One throttled answer (the SDK retries it): gg.arm.throttled and a 429 in gg.arm.requests.
  { kind: 'throttle', nthCall: 3, retryAfterSeconds: 1 },
  // Quarantining the kernel-panic version is refused for good (403 AuthorizationFailed, with no
  // deployment grace configured): a remediation failure. (A 409 would be a busy gallery, waited on.)
  { kind: 'authorization-failed', method: 'PATCH', pathPattern: 'ubuntu-kernel-panic/versions' },
];

let h: ValidationHarness;
let teams: Server;
let snapshot: MetricSnapshot;

const metric = (name: string) => snapshot.metrics.find((m) => m.name === name);

beforeAll(async () => {
  // A Teams endpoint that refuses every card (400): the notification fails permanently.
  teams = createServer((_req, res) => res.writeHead(400).end('bad card'));
  await new Promise<void>((resolve) => teams.listen(0, '127.0.0.1', resolve));
  const teamsUrl = `http://127.0.0.1:${(teams.address() as AddressInfo).port}/webhook`;
  h = await startValidationHarness({
    faults: FAULTS,
    env: {
      GG_DEFAULT_MODE: 'quarantine',
      GG_TEAMS_DEFAULT_WEBHOOK_URL: teamsUrl,
      GG_ACTION_MAX_ATTEMPTS: '1',
    },
  });
  for (const image of ['ubuntu-healthy', 'ubuntu-kernel-panic']) await h.publish(image);
  for (const image of ['ubuntu-healthy', 'ubuntu-kernel-panic']) await h.finalRun(image, 90_000);
  await h.stack.queue(POISON_QUEUE_NAME).createIfNotExists();
  await h.stack.queue(POISON_QUEUE_NAME).sendMessage(Buffer.from('{"bad":true}').toString('base64'));
  await h.stack.runner.triggerTimer('queue-metrics');
  await h.stack.runner.triggerTimer('validation-reconciler');
  const response = await fetch(h.stack.apiUrl('metrics'));
  expect(response.status).toBe(200);
  snapshot = (await response.json()) as MetricSnapshot;
}, 180_000);

afterAll(async () => {
  await h?.close();
  await new Promise((resolve) => teams?.close(resolve));
});

describe('metrics over the demo', () => {
  it('emits every metric the workbook and alerts use, with its declared dimensions', () => {
    expect(snapshot.exporter).toBe('in-memory');
    for (const declared of Object.values(METRICS)) {
      const emitted = metric(declared.name);
      expect({ name: declared.name, emitted: emitted !== undefined }).toEqual({
        name: declared.name,
        emitted: true,
      });
      for (const point of emitted!.points) {
        expect(Object.keys(point.attributes).sort()).toEqual([...declared.dimensions].sort());
      }
    }
  });

  it('counts verdicts by result with validation and event-to-verdict durations', () => {
    const verdicts = metric(METRICS.verdicts.name)!.points;
    expect(verdicts.find((p) => p.attributes.verdict === 'Passed')?.value).toBe(1);
    expect(verdicts.find((p) => p.attributes.verdict === 'Failed')?.value).toBe(1);
    const duration = metric(METRICS.validationDuration.name)!.points;
    expect(duration.map((p) => p.count)).toEqual([1, 1]);
    expect(duration.every((p) => (p.sum ?? 0) > 0)).toBe(true);
    const path = metric(METRICS.eventToVerdict.name)!.points;
    expect(path.reduce((n, p) => n + (p.count ?? 0), 0)).toBe(2);
    expect(metric(METRICS.slotWait.name)!.points[0]?.count).toBe(2);
  });

  it('counts ARM requests by status, the 429 among them, and the failures of remediation and notification', () => {
    const requests = metric(METRICS.armRequests.name)!.points;
    expect(requests.find((p) => p.attributes.status === '429')?.value).toBe(1);
    expect(requests.filter((p) => p.attributes.status === '200').length).toBeGreaterThan(0);
    expect(metric(METRICS.armThrottled.name)!.points.reduce((n, p) => n + (p.value ?? 0), 0)).toBe(1);
    const remediation = metric(METRICS.remediationFailures.name)!.points;
    expect(remediation.map((p) => p.attributes.action)).toContain('exclude-from-latest');
    const notification = metric(METRICS.notificationFailures.name)!.points;
    // One card per verdict (kind = the verdict), both refused by the Teams endpoint.
    expect(notification.map((p) => p.attributes).sort((a, b) => a.kind!.localeCompare(b.kind!))).toEqual([
      { kind: 'Failed', channel: 'teams' },
      { kind: 'Passed', channel: 'teams' },
    ]);
  });

  it('reports the poison queue depth and stuck runs from their timers', () => {
    expect(metric(METRICS.poisonMessages.name)!.points).toEqual([
      { attributes: { queue: POISON_QUEUE_NAME }, value: 1 },
    ]);
    expect(metric(METRICS.stuckRuns.name)!.points).toEqual([{ attributes: {}, value: 0 }]);
  });
});
