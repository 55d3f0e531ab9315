import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Offline stand-ins for the Teams Workflows webhook, the PagerDuty Events API and a generic on-call
 * webhook: one small HTTP server that captures every POST (so the demo can show the card and the page,
 * and tests can count them) and can be told to fail the next posts (429/5xx) to exercise retries.
 *
 *   POST /teams/<name>       Teams Workflows webhook (202)
 *   POST /pagerduty/v2/enqueue  PagerDuty Events API v2 (202 {status, dedup_key})
 *   POST /oncall             generic JSON webhook (200)
 *   GET  /captured           every captured post, as JSON
 */
export type SinkChannel = 'teams' | 'pagerduty' | 'webhook';

export interface CapturedPost {
  readonly channel: SinkChannel;
  readonly path: string;
  readonly body: unknown;
  /** What the sink answered: 2xx = accepted, else an injected fault. */
  readonly status: number;
  readonly at: string;
}

export interface SinkFault {
  /** Channel whose next posts fail. */
  readonly channel: SinkChannel;
  readonly status: number;
  /** How many posts fail before the channel works again. */
  readonly times: number;
  readonly retryAfterSeconds?: number;
}

export interface NotificationSinks {
  readonly url: string;
  teamsUrl(name?: string): string;
  readonly pagerdutyUrl: string;
  readonly webhookUrl: string;
  /** Every post received, faults included. */
  readonly posts: readonly CapturedPost[];
  /** Posts the sink accepted (2xx) on a channel: what a human would have seen. */
  accepted(channel: SinkChannel): CapturedPost[];
  inject(fault: SinkFault): void;
  clearFaults(): void;
  /** Posts received (since `sinceMs`, wall clock) and not answered yet (a flaky sink holds each one). */
  inFlight(sinceMs?: number): number;
  close(): Promise<void>;
}

export interface SinkOptions {
  readonly port?: number;
  /** Called for each accepted post (npm start prints them). */
  readonly onPost?: (post: CapturedPost) => void;
  /** Called when a post arrives, before it is answered (a chaos test may kill the sender then). */
  readonly onReceive?: (channel: SinkChannel) => void;
  /** A flaky endpoint: each post waits up to `maxLatencyMs`, then fails (503 or 429) at `failRate`. */
  readonly flaky?: {
    readonly random: () => number;
    readonly failRate: number;
    readonly maxLatencyMs: number;
  };
}

function channelOf(path: string): SinkChannel | undefined {
  if (path.startsWith('/teams/')) return 'teams';
  if (path === '/pagerduty/v2/enqueue') return 'pagerduty';
  if (path === '/oncall') return 'webhook';
  return undefined;
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export async function startNotificationSinks(options: SinkOptions = {}): Promise<NotificationSinks> {
  const posts: CapturedPost[] = [];
  const faults: { fault: SinkFault; left: number }[] = [];
  const inFlight = new Set<{ readonly at: number }>();

  const answer = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers });
    response.end(JSON.stringify(body));
  };

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://sink').pathname;
    if (request.method === 'GET' && path === '/captured') return answer(response, 200, posts);
    const channel = channelOf(path);
    if (request.method !== 'POST' || channel === undefined)
      return answer(response, 404, { error: 'not found' });
    void readJson(request).then(async (body) => {
      const received = { at: Date.now() };
      inFlight.add(received);
      response.once('close', () => inFlight.delete(received));
      options.onReceive?.(channel);
      const flaky = options.flaky;
      if (flaky !== undefined) {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(flaky.random() * flaky.maxLatencyMs)));
        if (flaky.random() < flaky.failRate) {
          const status = flaky.random() < 0.5 ? 503 : 429;
          posts.push({ channel, path, body, status, at: new Date().toISOString() });
          return answer(
            response,
            status,
            { error: 'flaky sink' },
            status === 429 ? { 'retry-after': '0' } : {},
          );
        }
      }
      const at = new Date().toISOString();
      const pending = faults.find((f) => f.fault.channel === channel && f.left > 0);
      if (pending !== undefined) {
        pending.left--;
        posts.push({ channel, path, body, status: pending.fault.status, at });
        const retryAfter = pending.fault.retryAfterSeconds;
        return answer(
          response,
          pending.fault.status,
          { error: 'injected fault' },
          retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
        );
      }
      if (body === undefined) {
        posts.push({ channel, path, body, status: 400, at });
        return answer(response, 400, { error: 'body is not JSON' });
      }
      const status = channel === 'webhook' ? 200 : 202;
      const post: CapturedPost = { channel, path, body, status, at };
      posts.push(post);
      options.onPost?.(post);
      const dedupKey = (body as { dedup_key?: unknown }).dedup_key;
      return answer(
        response,
        status,
        channel === 'pagerduty' ? { status: 'success', message: 'Event processed', dedup_key: dedupKey } : {},
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    teamsUrl: (name = 'default') => `${url}/teams/${encodeURIComponent(name)}`,
    pagerdutyUrl: `${url}/pagerduty/v2/enqueue`,
    webhookUrl: `${url}/oncall`,
    posts,
    accepted: (channel) => posts.filter((p) => p.channel === channel && p.status >= 200 && p.status < 300),
    inject: (fault) => void faults.push({ fault, left: fault.times }),
    clearFaults: () => void faults.splice(0),
    inFlight: (sinceMs = 0) => [...inFlight].filter((p) => p.at >= sinceMs).length,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      }),
  };
}
