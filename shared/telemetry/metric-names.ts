/**
 * Every metric gallery-guard emits, with the dimensions (attributes) it carries. The workbook and
 * alert rules in infra/ query these names; a test checks that they reference nothing else. In
 * Application Insights they land in `customMetrics` (workspace: `AppMetrics`), the dimensions in
 * `customDimensions` (`Properties`).
 */
export const METRICS = {
  verdicts: {
    name: 'gg.verdicts',
    kind: 'counter',
    unit: '{verdict}',
    description: 'Verdicts decided, by result (Passed, Failed, Inconclusive).',
    dimensions: ['verdict'],
  },
  validationDuration: {
    name: 'gg.validation.duration',
    kind: 'histogram',
    unit: 's',
    description: 'From the run first seen to its verdict.',
    dimensions: ['verdict'],
  },
  eventToVerdict: {
    name: 'gg.event_to_verdict',
    kind: 'histogram',
    unit: 's',
    description: 'From the version write (event time) to the verdict.',
    dimensions: ['verdict'],
  },
  slotWait: {
    name: 'gg.slot.wait',
    kind: 'histogram',
    unit: 's',
    description: 'How long a run waited for validation VM slots.',
    dimensions: [],
  },
  armRequests: {
    name: 'gg.arm.requests',
    kind: 'counter',
    unit: '{request}',
    description: 'ARM requests sent, by HTTP method and status code.',
    dimensions: ['method', 'status'],
  },
  armThrottled: {
    name: 'gg.arm.throttled',
    kind: 'counter',
    unit: '{request}',
    description: 'ARM requests answered 429 Too Many Requests.',
    dimensions: ['method'],
  },
  remediationFailures: {
    name: 'gg.remediation.failures',
    kind: 'counter',
    unit: '{failure}',
    description: 'Remediation steps that failed for good (after retries).',
    dimensions: ['action'],
  },
  notificationFailures: {
    name: 'gg.notification.failures',
    kind: 'counter',
    unit: '{failure}',
    description: 'Cards and pages that could not be delivered.',
    dimensions: ['kind', 'channel'],
  },
  stuckRuns: {
    name: 'gg.runs.stuck',
    kind: 'gauge',
    unit: '{run}',
    description:
      'Runs overdue past the stuck threshold, counted by each reconciler pass (on-call is paged once per run).',
    dimensions: [],
  },
  poisonMessages: {
    name: 'gg.queue.poison',
    kind: 'gauge',
    unit: '{message}',
    description: 'Messages in the poison queue, read by the reconciler timer.',
    dimensions: ['queue'],
  },
} as const;

export type MetricKey = keyof typeof METRICS;
export const METRIC_NAMES: readonly string[] = Object.values(METRICS).map((m) => m.name);
