import type { SimClock } from './clock';

interface Window {
  readonly name: string;
  readonly seconds: number;
  readonly limit: number;
}

// Microsoft.Compute per-subscription buckets, reported as `name;remaining` pairs as ARM does.
const COMPUTE_BUCKETS: { match: RegExp; windows: Window[] }[] = [
  {
    match: /virtualMachines\/write$|runCommand\/action$/,
    windows: [
      { name: 'PutVM3Min', seconds: 180, limit: 1500 },
      { name: 'PutVM30Min', seconds: 1800, limit: 15000 },
    ],
  },
  {
    match: /virtualMachines\/delete$/,
    windows: [
      { name: 'DeleteVM3Min', seconds: 180, limit: 1500 },
      { name: 'DeleteVM30Min', seconds: 1800, limit: 15000 },
    ],
  },
  {
    match: /locations\/(caps)?operations\/read$/,
    windows: [
      { name: 'GetOperation3Min', seconds: 180, limit: 15000 },
      { name: 'GetOperation30Min', seconds: 1800, limit: 150000 },
    ],
  },
  {
    match: /galleries/,
    windows: [
      { name: 'GalleryRequests3Min', seconds: 180, limit: 3000 },
      { name: 'GalleryRequests30Min', seconds: 1800, limit: 30000 },
    ],
  },
  {
    match: /virtualMachines.*read$|retrieveBootDiagnosticsData\/action$|disks/,
    windows: [
      { name: 'LowCostGet3Min', seconds: 180, limit: 24000 },
      { name: 'LowCostGet30Min', seconds: 1800, limit: 240000 },
    ],
  },
];

// ARM's per-subscription token buckets: capacity and refill per second.
const SUBSCRIPTION_BUCKETS = {
  reads: { capacity: 250, refill: 25 },
  writes: { capacity: 200, refill: 10 },
  deletes: { capacity: 200, refill: 10 },
} as const;

/** Reports ARM's remaining-quota headers. It does not enforce them: throttling is a fault rule. */
export class RateLimitHeaders {
  private readonly history = new Map<string, number[]>();
  private readonly tokens = new Map<string, { tokens: number; atMs: number }>();

  constructor(private readonly clock: SimClock) {}

  headersFor(operation: string, method: string): Record<string, string> {
    const now = this.clock.elapsedMs();
    const kind = method === 'GET' ? 'reads' : method === 'DELETE' ? 'deletes' : 'writes';
    const bucket = SUBSCRIPTION_BUCKETS[kind];
    const state = this.tokens.get(kind) ?? { tokens: bucket.capacity, atMs: now };
    const refilled = Math.min(bucket.capacity, state.tokens + ((now - state.atMs) / 1000) * bucket.refill);
    const remaining = Math.max(0, refilled - 1);
    this.tokens.set(kind, { tokens: remaining, atMs: now });
    const headers: Record<string, string> = {
      [`x-ms-ratelimit-remaining-subscription-${kind}`]: String(Math.floor(remaining)),
    };
    if (operation.startsWith('Microsoft.Compute/')) {
      const group = COMPUTE_BUCKETS.find((b) => b.match.test(operation));
      if (group) {
        const key = group.windows[0]!.name;
        const longest = Math.max(...group.windows.map((w) => w.seconds));
        const times = (this.history.get(key) ?? []).filter((t) => now - t < longest * 1000);
        times.push(now);
        this.history.set(key, times);
        headers['x-ms-ratelimit-remaining-resource'] = group.windows
          .map(
            (w) =>
              `Microsoft.Compute/${w.name};${Math.max(0, w.limit - times.filter((t) => now - t < w.seconds * 1000).length)}`,
          )
          .join(',');
      }
    }
    return headers;
  }

  reset(): void {
    this.history.clear();
    this.tokens.clear();
  }
}
