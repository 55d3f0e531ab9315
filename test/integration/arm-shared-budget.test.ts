import { startArmSimulator, type ArmSimulator } from '../../local/arm-sim';
import type { RunningAzurite } from '../../local/azurite';
import { armInstanceConfig, armInstanceTotals, armInstances } from '../../local/bench/arm-instances';
import { armLoad } from '../../local/bench/arm-load';
import { startTestAzurite } from '../support/local-stack';

/**
 * Acceptance 4 (issue 11): four instances of the app, each with its own service graph and limiter,
 * against a simulator enforcing ARM's subscription buckets (small ones, so the test is short). With
 * the Table-backed shared budget the service causes no 429; with a bucket per instance, as before,
 * the same load does.
 */
// The simulator's clock runs at real time here, so its buckets and the limiters' are the same budget.
const TIME_SCALE = 1;
const BUCKETS = {
  reads: { capacity: 100, refillPerSecond: 20 },
  writes: { capacity: 50, refillPerSecond: 10 },
  deletes: { capacity: 50, refillPerSecond: 10 },
};
const LIMITS = {
  read: { ratePerSecond: 20, burst: 100 },
  write: { ratePerSecond: 10, burst: 50 },
  delete: { ratePerSecond: 10, burst: 50 },
};
const INSTANCES = 4;
const LOAD = { workers: 4, reads: 20, writeEvery: 10 };

let azurite: RunningAzurite;
let sim: ArmSimulator;

beforeAll(async () => {
  azurite = await startTestAzurite();
  sim = await startArmSimulator({
    scenario: 'demo',
    timeScale: 1,
    armThrottling: BUCKETS,
    onError: () => undefined,
  });
});

afterAll(async () => {
  await sim?.close();
  await azurite?.close();
});

async function burst(shared: boolean) {
  await sim.reset('demo');
  const config = armInstanceConfig(azurite.connectionString, sim);
  const limits = { buckets: LIMITS, lowWatermark: 3, maxInlineWaitMs: 2000 };
  const instances = armInstances(config, INSTANCES, limits, shared);
  const started = Date.now();
  const results = await Promise.all(instances.map((i, n) => armLoad(i.services, { ...LOAD, instance: n })));
  const seconds = (Date.now() - started) / 1000;
  const counts = sim.subscriptionThrottleCounts();
  return {
    seconds,
    counts,
    requeued: results.reduce((a, r) => a + r.requeued, 0),
    ...armInstanceTotals(instances),
  };
}

describe('shared ARM budget across instances', () => {
  it('four instances sharing the Table budget cause no 429 and stay within the subscription buckets', async () => {
    const r = await burst(true);
    expect(r.counts.total).toBe(0);
    const reads = r.counts.admitted.reads;
    const writes = r.counts.admitted.writes;
    // Every request the instances sent reached ARM, none throttled; 160 reads and 32 writes at least.
    expect(reads + writes).toBe(r.sent);
    expect(reads).toBeGreaterThanOrEqual(INSTANCES * LOAD.workers * LOAD.reads);
    expect(writes).toBe((INSTANCES * LOAD.workers * LOAD.reads) / LOAD.writeEvery);
    // Within the documented shape: at most one bucket plus its refill over the elapsed time.
    const simSeconds = r.seconds * TIME_SCALE;
    expect(reads).toBeLessThanOrEqual(BUCKETS.reads.capacity + BUCKETS.reads.refillPerSecond * simSeconds);
    expect(writes).toBeLessThanOrEqual(BUCKETS.writes.capacity + BUCKETS.writes.refillPerSecond * simSeconds);
    // Batching: one lease serves several ARM requests.
    expect(r.leases).toBeLessThan(r.sent / 3);
  });

  it('the same load with a bucket per instance (no shared budget) is throttled by ARM', async () => {
    const r = await burst(false);
    expect(r.counts.total).toBeGreaterThan(0);
  });
});
