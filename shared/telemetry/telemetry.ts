import type { TokenCredential } from '@azure/core-auth';
import type * as MetricsSdk from './metrics-sdk';
import { beforeFirstInstrument, resetInstruments } from './metrics';

export interface MetricPoint {
  readonly attributes: Readonly<Record<string, string>>;
  /** Counters and gauges. */
  readonly value?: number;
  /** Histograms. */
  readonly count?: number;
  readonly sum?: number;
  readonly min?: number;
  readonly max?: number;
}

export interface MetricSnapshot {
  /** `application-insights` when APPLICATIONINSIGHTS_CONNECTION_STRING is set, else `in-memory`. */
  readonly exporter: 'application-insights' | 'in-memory';
  readonly metrics: readonly {
    readonly name: string;
    readonly unit: string;
    readonly description: string;
    readonly points: readonly MetricPoint[];
  }[];
}

export interface Telemetry {
  readonly exporter: MetricSnapshot['exporter'];
  snapshot(): Promise<MetricSnapshot>;
}

let installed: Telemetry | undefined;

/**
 * Installs the OpenTelemetry SDK once per process (the application side; the domain records through
 * the API in ./metrics.ts). The SDK (./metrics-sdk.ts) is required when the first instrument is
 * created or the first snapshot asked for; with APPLICATIONINSIGHTS_CONNECTION_STRING it starts at
 * once, so that log records from the first line on are exported.
 */
export function installTelemetry(
  connectionString: string | undefined,
  credential: () => TokenCredential,
): Telemetry {
  if (installed !== undefined) return installed;
  const exporter: Telemetry['exporter'] =
    connectionString !== undefined && connectionString !== '' ? 'application-insights' : 'in-memory';
  let snapshot: (() => Promise<MetricSnapshot>) | undefined;
  const start = (): (() => Promise<MetricSnapshot>) => {
    if (snapshot === undefined) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberately lazy
      const sdk = require('./metrics-sdk') as typeof MetricsSdk;
      snapshot = sdk.startMetricsSdk(connectionString, credential);
    }
    return snapshot;
  };
  resetInstruments();
  beforeFirstInstrument(start);
  if (exporter === 'application-insights') start();
  installed = { exporter, snapshot: () => start()() };
  return installed;
}
