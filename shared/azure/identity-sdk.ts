// The credential gallery-guard authenticates with in Azure. Loaded on first use through
// lazy-sdks.ts, never imported directly: the bundle build emits this module as its own file
// (dist/bundle/identity-sdk.js).
export { DefaultAzureCredential } from '@azure/identity';
