import { metrics, type Attributes, type Counter, type Gauge, type Histogram } from '@opentelemetry/api';
import { METRICS } from './metric-names';

/**
 * Recording goes through the OpenTelemetry metrics API (the library side): the composition root
 * installs the SDK (./telemetry.ts) that exports to Application Insights or keeps the numbers in
 * memory. Without an installed SDK every call is a no-op. Instruments are created on first use, from
 * whichever provider is registered by then.
 */
interface Instruments {
  readonly verdicts: Counter;
  readonly validationDuration: Histogram;
  readonly eventToVerdict: Histogram;
  readonly slotWait: Histogram;
  readonly armRequests: Counter;
  readonly armThrottled: Counter;
  readonly remediationFailures: Counter;
  readonly notificationFailures: Counter;
  readonly stuckRuns: Gauge;
  readonly poisonMessages: Gauge;
}

let instruments: Instruments | undefined;

function create(): Instruments {
  const meter = metrics.getMeter('gallery-guard');
  const opts = (m: { unit: string; description: string }) => ({ unit: m.unit, description: m.description });
  const histogram = (m: { name: string; unit: string; description: string }) =>
    meter.createHistogram(m.name, opts(m));
  return {
    verdicts: meter.createCounter(METRICS.verdicts.name, opts(METRICS.verdicts)),
    validationDuration: histogram(METRICS.validationDuration),
    eventToVerdict: histogram(METRICS.eventToVerdict),
    slotWait: histogram(METRICS.slotWait),
    armRequests: meter.createCounter(METRICS.armRequests.name, opts(METRICS.armRequests)),
    armThrottled: meter.createCounter(METRICS.armThrottled.name, opts(METRICS.armThrottled)),
    remediationFailures: meter.createCounter(
      METRICS.remediationFailures.name,
      opts(METRICS.remediationFailures),
    ),
    notificationFailures: meter.createCounter(
      METRICS.notificationFailures.name,
      opts(METRICS.notificationFailures),
    ),
    stuckRuns: meter.createGauge(METRICS.stuckRuns.name, opts(METRICS.stuckRuns)),
    poisonMessages: meter.createGauge(METRICS.poisonMessages.name, opts(METRICS.poisonMessages)),
  };
}

let beforeFirst: (() => void) | undefined;

/** Runs once before the first instrument is created: telemetry.ts starts the SDK there. */
export function beforeFirstInstrument(hook: () => void): void {
  beforeFirst = hook;
}

const get = (): Instruments => {
  if (instruments === undefined) {
    beforeFirst?.();
    instruments = create();
  }
  return instruments;
};

/** Forgets the instruments, so the next record binds to a newly installed provider (tests). */
export function resetInstruments(): void {
  instruments = undefined;
}

const secondsBetween = (from: string | undefined, to: string): number | undefined => {
  if (from === undefined) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms / 1000 : undefined;
};

/** The typed recording calls the domain makes; names and dimensions are those of METRICS. */
export const ggMetrics = {
  /** A verdict was decided: counts it and records how long the run and the whole path took. */
  verdictDecided(input: {
    readonly verdict: string;
    readonly decidedAt: string;
    readonly firstSeenAt?: string;
    readonly eventTime?: string;
  }): void {
    const attributes: Attributes = { verdict: input.verdict };
    get().verdicts.add(1, attributes);
    const run = secondsBetween(input.firstSeenAt, input.decidedAt);
    if (run !== undefined) get().validationDuration.record(run, attributes);
    const path = secondsBetween(input.eventTime ?? input.firstSeenAt, input.decidedAt);
    if (path !== undefined) get().eventToVerdict.record(path, attributes);
  },
  slotWaited(since: string, acquiredAt: string): void {
    const seconds = secondsBetween(since, acquiredAt);
    if (seconds !== undefined) get().slotWait.record(seconds);
  },
  armResponse(method: string, status: number): void {
    get().armRequests.add(1, { method, status: String(status) });
    if (status === 429) get().armThrottled.add(1, { method });
  },
  remediationFailed(action: string): void {
    get().remediationFailures.add(1, { action });
  },
  notificationFailed(kind: string, channel: string): void {
    get().notificationFailures.add(1, { kind, channel });
  },
  /** How many runs one reconciler pass found stuck (0 clears the alert). */
  stuckRuns(count: number): void {
    get().stuckRuns.record(count);
  },
  poisonQueueDepth(queue: string, depth: number): void {
    get().poisonMessages.record(depth, { queue });
  },
};
