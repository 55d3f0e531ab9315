// The Azure Monitor OpenTelemetry distro (exporters, instrumentations; about 1,500 modules). Loaded
// on first use by telemetry.ts, only when APPLICATIONINSIGHTS_CONNECTION_STRING is set, and never
// imported directly: the bundle build emits this module as a file of its own
// (dist/bundle/azure-monitor-sdk.js), so a cold start without it does not parse it.
export { useAzureMonitor } from '@azure/monitor-opentelemetry';
