import type { HttpHandler, HttpMethod, StorageQueueHandler, TimerHandler } from '@azure/functions';

/**
 * One description of a function, consumed by both `app.*` registration (functions/index.ts, for the
 * Functions host and `func start`) and the offline runner (local/runner). Neither may add triggers of
 * its own, so the two cannot drift.
 */
export type FunctionDefinition = HttpFunctionDefinition | QueueFunctionDefinition | TimerFunctionDefinition;

export interface HttpFunctionDefinition {
  readonly name: string;
  readonly trigger: {
    readonly type: 'http';
    /** Route below /api, e.g. "events/eventgrid". */
    readonly route: string;
    readonly methods: readonly HttpMethod[];
    readonly authLevel: 'anonymous' | 'function' | 'admin';
  };
  readonly handler: HttpHandler;
}

export interface QueueFunctionDefinition {
  readonly name: string;
  readonly trigger: { readonly type: 'queue'; readonly queueName: string };
  readonly handler: StorageQueueHandler;
}

export interface TimerFunctionDefinition {
  readonly name: string;
  /** NCRONTAB with seconds, as the Functions host expects ("0 *\/5 * * * *"). */
  readonly trigger: { readonly type: 'timer'; readonly schedule: string };
  readonly handler: TimerHandler;
}

/** The storage connection setting every storage trigger binds to. */
export const STORAGE_CONNECTION = 'AzureWebJobsStorage';
