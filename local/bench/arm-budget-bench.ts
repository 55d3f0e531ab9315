/**
 * `BENCH=arm-budget npm run bench`: four app instances, each its own process-like service graph with
 * its own ARM limiter, against the simulator in its own process enforcing ARM's subscription buckets
 * (GG_SIM_ARM_BUCKETS; default here: Azure's documented reads 250 / 25 per s, writes 200 / 10 per s).
 * Reports the 429s the service caused, the ARM request rate against the budget, and the Table
 * overhead of the shared budget, first with the shared budget, then with a bucket per instance.
 */
import { startAzurite } from '../azurite';
import { DEFAULT_LIMITS } from '../../shared/azure/arm-call-limiter';
import { armInstanceConfig, armInstanceTotals, armInstances } from './arm-instances';
import { armLoad } from './arm-load';
import { startSimulatorProcess } from './simulator-process';

interface Admitted {
  total: number;
  byScope: Record<string, number>;
  admitted: { reads: number; writes: number; deletes: number };
}

const INSTANCES = Number(process.env.INSTANCES ?? 4);
const WORKERS = Number(process.env.WORKERS ?? 16);
const READS = Number(process.env.READS ?? 60);

export async function armBudgetBench(): Promise<void> {
  const sim = await startSimulatorProcess({ timeScale: 1 });
  const azurite = await startAzurite({ inMemory: true });
  try {
    const config = armInstanceConfig(azurite.connectionString, sim);
    console.log(
      `ARM budget bench: ${INSTANCES} instances × ${WORKERS} workers × ${READS} reads (a write every 10), simulator enforcing Azure's subscription buckets`,
    );
    for (const shared of [true, false]) {
      await sim.admin('DELETE', '/subscription-throttle');
      const instances = armInstances(config, INSTANCES, DEFAULT_LIMITS, shared);
      const started = Date.now();
      const results = await Promise.all(
        instances.map((i, n) => armLoad(i.services, { workers: WORKERS, reads: READS, writeEvery: 10, instance: n })),
      ); // prettier-ignore
      const seconds = (Date.now() - started) / 1000;
      const c = await sim.admin<Admitted>('GET', '/subscription-throttle');
      const { sent, leases, tableReads, tableWrites } = armInstanceTotals(instances);
      const tableOps = tableReads + tableWrites;
      const rows: [string, string][] = [
        ['budget', shared ? 'shared (Table lease)' : 'one bucket per instance (before)'],
        ["429s from ARM's subscription buckets", `${c.total} ${JSON.stringify(c.byScope)}`],
        ['steps requeued by the limiter or after a 429', String(results.reduce((a, r) => a + r.requeued, 0))],
        ['ARM requests (reads / writes) in', `${c.admitted.reads} / ${c.admitted.writes} in ${seconds.toFixed(1)} s`],
        ['read rate vs budget 250 + 25/s·t', `${(c.admitted.reads / seconds).toFixed(1)}/s; ${c.admitted.reads} ≤ ${Math.round(250 + 25 * seconds)}`],
        ['write rate vs budget 200 + 10/s·t', `${(c.admitted.writes / seconds).toFixed(1)}/s; ${c.admitted.writes} ≤ ${Math.round(200 + 10 * seconds)}`],
        ['Table operations of the shared budget', shared ? `${tableOps} (${leases} leases, ${(sent / Math.max(1, tableOps)).toFixed(1)} ARM requests per Table op)` : '0'],
      ]; // prettier-ignore
      const width = Math.max(...rows.map(([k]) => k.length));
      for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    }
  } finally {
    await azurite.close();
    await sim.close();
  }
}
