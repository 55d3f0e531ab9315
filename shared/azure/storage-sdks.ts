// The Storage SDK parts gallery-guard uses (Tables, Queues). Loaded on first use through
// lazy-sdks.ts, never imported directly: the bundle build emits this module as its own file
// (dist/bundle/storage-sdks.js), so loading the entry does not parse them.
export { TableClient, odata } from '@azure/data-tables';
export { QueueClient, QueueServiceClient } from '@azure/storage-queue';
