// The ARM SDK classes gallery-guard constructs. Loaded on first use through lazy-sdks.ts, never
// imported directly: the bundle build emits this module as its own file (dist/bundle/arm-sdks.js).
export { ComputeManagementClient } from '@azure/arm-compute';
export { NetworkManagementClient } from '@azure/arm-network';
