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
import type { MetricPoint, MetricSnapshot } from './telemetry';

// The OpenTelemetry SDK side (about 110 modules). Loaded through telemetry.ts when the first
// instrument is created or a snapshot is asked for, so loading the Functions entry does not pay
// for it; the bundle build emits this module as its own file (dist/bundle/metrics-sdk.js).

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
 * Installs the SDK as the global meter provider: with an Application Insights connection string the
 * Azure Monitor distro exports metrics (customMetrics) and logs (traces with customDimensions); an
 * in-memory reader keeps this instance's numbers for GET /api/metrics either way.
 */
export function startMetricsSdk(
  connectionString: string | undefined,
  credential: () => TokenCredential,
): () => Promise<MetricSnapshot> {
  const reader = new PullMetricReader();
  const exporter: MetricSnapshot['exporter'] =
    connectionString !== undefined && connectionString !== '' ? 'application-insights' : 'in-memory';
  if (exporter === 'application-insights') {
    // Loaded only then: the distro pulls in instrumentations offline runs never need.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { useAzureMonitor } = require('./azure-monitor-sdk') as typeof AzureMonitorSdk;
    useAzureMonitor({
      // The component has local (key) auth disabled: export with the app's Entra identity.
      azureMonitorExporterOptions: { connectionString, credential: credential() },
      metricReaders: [reader],
      enableLiveMetrics: false,
    });
  } else {
    metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  }
  return async () => {
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
  };
}
