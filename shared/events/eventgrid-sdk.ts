// @azure/eventgrid's deserializer and system-event guard (its model mappers are ~150 KB). Loaded on
// the first delivery through loadEventGridSdk() in event-grid-delivery.ts, never imported directly:
// the bundle build emits this module as its own file (dist/bundle/eventgrid-sdk.js).
export { EventGridDeserializer, isSystemEvent } from '@azure/eventgrid';
