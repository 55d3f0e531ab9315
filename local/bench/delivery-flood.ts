import { seededRandom } from '../arm-sim/faults';
import { FLOOD_SOURCES, floodRequest, type FloodRequest, type FloodSource } from './flood-payloads';

/** One HTTP delivery of the flood: a signal's first delivery or an exact redelivery of it. */
export interface Delivery extends FloodRequest {
  readonly source: FloodSource;
  readonly versionId: string;
  readonly eventId: string;
  readonly redelivery: boolean;
}

export interface FloodPlan {
  readonly seed: number;
  readonly deliveries: readonly Delivery[];
  readonly distinct: number;
  readonly redeliveries: number;
}

const hex = (random: () => number, digits: number): string =>
  Array.from({ length: digits }, () => Math.floor(random() * 16).toString(16)).join('');
const uuid = (random: () => number): string =>
  `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-8${hex(random, 3)}-${hex(random, 12)}`;

/**
 * `total` deliveries over `versionIds`: (1 − duplicateShare)·total distinct signals, spread evenly over
 * the versions and round-robin over the three sources (each with its own event or alert id, as each
 * Event Grid subscription and alert rule reports the write on its own), plus duplicateShare·total
 * exact redeliveries of signals picked at random (Event Grid and action groups retry with the same
 * id and body). Shuffled with a seeded PRNG, so a run can be replayed from its seed.
 */
export function planFlood(options: {
  versionIds: readonly string[];
  total: number;
  duplicateShare: number;
  seed: number;
}): FloodPlan {
  const { versionIds, total, seed } = options;
  const random = seededRandom(seed);
  const redeliveries = Math.round(total * options.duplicateShare);
  const distinct = total - redeliveries;
  if (distinct < versionIds.length)
    throw new Error(`${distinct} distinct signals cannot cover ${versionIds.length} versions`);
  const started = Date.parse('2026-12-01T09:00:00Z');
  const firsts: Delivery[] = Array.from({ length: distinct }, (_, i) => {
    const versionId = versionIds[i % versionIds.length]!;
    const source = FLOOD_SOURCES[i % FLOOD_SOURCES.length]!;
    const facts = {
      versionId,
      eventId: uuid(random),
      correlationId: uuid(random),
      time: new Date(started + i * 1000).toISOString(),
    };
    return {
      ...floodRequest(source, facts, 0),
      source,
      versionId,
      eventId: facts.eventId,
      redelivery: false,
    };
  });
  const again: Delivery[] = Array.from({ length: redeliveries }, () => {
    const first = firsts[Math.floor(random() * firsts.length)]!;
    const headers = { ...first.headers };
    if (headers['aeg-delivery-count'] !== undefined) headers['aeg-delivery-count'] = '1';
    return { ...first, headers, redelivery: true };
  });
  const deliveries = [...firsts, ...again];
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [deliveries[i], deliveries[j]] = [deliveries[j]!, deliveries[i]!];
  }
  return { seed, deliveries, distinct, redeliveries };
}

export interface DeliveryResult {
  readonly delivery: Delivery;
  /** HTTP status, or 0 when the request failed without an answer. */
  readonly status: number;
  readonly ms: number;
  readonly error?: string;
}

export interface FloodSend {
  readonly results: readonly DeliveryResult[];
  /** Most requests in flight at once (the driver keeps exactly `concurrency` busy while work remains). */
  readonly peakInFlight: number;
  readonly wallMs: number;
}

/** Posts the deliveries to the runner with the function key, `concurrency` in flight at a time. */
export async function sendFlood(options: {
  baseUrl: string;
  functionKey: string;
  deliveries: readonly Delivery[];
  concurrency: number;
}): Promise<FloodSend> {
  const results: DeliveryResult[] = [];
  let next = 0;
  let inFlight = 0;
  let peakInFlight = 0;
  const started = Date.now();
  const worker = async (): Promise<void> => {
    while (next < options.deliveries.length) {
      const delivery = options.deliveries[next++]!;
      const url = new URL(`/api/${delivery.route}`, options.baseUrl);
      url.searchParams.set('code', options.functionKey);
      inFlight++;
      peakInFlight = Math.max(peakInFlight, inFlight);
      const t0 = performance.now();
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: delivery.headers,
          body: delivery.body,
          // Event Grid gives up on a delivery after 30 s and retries it later.
          signal: AbortSignal.timeout(30_000),
        });
        await response.arrayBuffer();
        results.push({ delivery, status: response.status, ms: performance.now() - t0 });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        results.push({ delivery, status: 0, ms: performance.now() - t0, error: message });
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return { results, peakInFlight, wallMs: Date.now() - started };
}
