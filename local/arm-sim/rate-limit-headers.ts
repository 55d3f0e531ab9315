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

/**
 * Reports Compute's informational remaining-calls windows. ARM's subscription buckets are enforced
 * (and reported) by SubscriptionThrottle; Compute's by ComputeThrottle.
 */
export class RateLimitHeaders {
  private readonly history = new Map<string, number[]>();

  constructor(private readonly clock: SimClock) {}

  headersFor(operation: string): Record<string, string> {
    const now = this.clock.elapsedMs();
    const headers: Record<string, string> = {};
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
  }
}
