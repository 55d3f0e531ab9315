import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import type { TokenCredential } from '@azure/core-auth';
import type * as AzureMonitorSdk from './azure-monitor-sdk';
import { resetInstruments } from './metrics';

/** Collects on demand (GET /api/metrics, tests): the numbers this process recorded since it started. */
class PullMetricReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

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

const text = (attributes: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, String(v)]));

function pointsOf(metric: MetricData): MetricPoint[] {
  if (metric.dataPointType === DataPointType.HISTOGRAM) {
    return metric.dataPoints.map((p) => ({
      attributes: text(p.attributes),
      count: p.value.count,
      sum: p.value.sum ?? 0,
      ...(p.value.min === undefined ? {} : { min: p.value.min }),
      ...(p.value.max === undefined ? {} : { max: p.value.max }),
    }));
  }
  if (metric.dataPointType === DataPointType.SUM || metric.dataPointType === DataPointType.GAUGE) {
    return metric.dataPoints.map((p) => ({ attributes: text(p.attributes), value: p.value }));
  }
  return [];
}

/**
 * Installs the OpenTelemetry SDK once per process (the application side; the domain records through
 * the API in ./metrics.ts). With APPLICATIONINSIGHTS_CONNECTION_STRING the Azure Monitor distro
 * exports metrics (customMetrics) and logs (traces with customDimensions); an in-memory reader keeps
 * this instance's numbers for GET /api/metrics either way.
 */
export function installTelemetry(
  connectionString: string | undefined,
  credential: () => TokenCredential,
): Telemetry {
  if (installed !== undefined) return installed;
  const reader = new PullMetricReader();
  let exporter: Telemetry['exporter'] = 'in-memory';
  if (connectionString !== undefined && connectionString !== '') {
    // Loaded only then: the distro pulls in instrumentations offline runs never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { useAzureMonitor } = require('./azure-monitor-sdk') as typeof AzureMonitorSdk;
    useAzureMonitor({
      // The component has local (key) auth disabled: export with the app's Entra identity.
      azureMonitorExporterOptions: { connectionString, credential: credential() },
      metricReaders: [reader],
      enableLiveMetrics: false,
    });
    exporter = 'application-insights';
  } else {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  }
  resetInstruments();
  installed = {
    exporter,
    snapshot: async () => {
      const { resourceMetrics } = await reader.collect();
      return {
        exporter,
        metrics: resourceMetrics.scopeMetrics
          .flatMap((scope) => scope.metrics)
          .map((m) => ({
            name: m.descriptor.name,
            unit: m.descriptor.unit,
            description: m.descriptor.description,
            points: pointsOf(m),
          }))
          .filter((m) => m.points.length > 0)
          .sort((a, b) => a.name.localeCompare(b.name)),
      };
    },
  };
  return installed;
}
