/**
 * `BENCH=deliveries npm run bench`: issue 11's acceptance 3. N versions (default 100) published in the
 * simulator, DELIVERIES (default 1,000) shuffled deliveries over the three sources with DUPLICATES %
 * (default 30) exact redeliveries, CONCURRENCY (default 20) in flight, SEED (default 20261202) for the
 * shuffle; then every validation runs to its verdict (TIME_SCALE, default 300; Q VMs at once, default
 * 48; INSTANCES runners, default 2; GG_INVENTORY passed on) and the outcome is read from state: run
 * rows per version, VM sets per version from the simulator's records, HTTP statuses, response times,
 * leftovers. Exits non-zero when a version has other than one finished run and one VM set, a delivery
 * got a 5xx or no answer, or anything is left.
 */
import { demoValidationSettings } from '../demo/demo-validation-settings';
import { startBenchStack } from './bench-stack';
import { floodFigures, runDeliveryFlood } from './delivery-flood-run';
import { intEnv } from './bench-options';

export async function deliveryFloodBench(): Promise<void> {
  const versions = intEnv('N', 100, 1, 1000);
  const deliveries = intEnv('DELIVERIES', 1000, 1, 100_000);
  const duplicates = intEnv('DUPLICATES', 30, 0, 90);
  const concurrency = intEnv('CONCURRENCY', 20, 1, 500);
  const seed = intEnv('SEED', 20261202, 0, 2 ** 31);
  const timeScale = intEnv('TIME_SCALE', 300, 1, 3600);
  const quota = intEnv('Q', 48, 1, 500);
  console.log(
    `delivery flood: ${deliveries} deliveries (${duplicates} % redeliveries, 3 sources, seed ${seed}) over ${versions} versions, ${concurrency} in flight; time scale ${timeScale}, Q=${quota}`,
  );
  const stack = await startBenchStack({
    timeScale,
    instances: intEnv('INSTANCES', 2, 1, 8),
    logLevel: process.env.BENCH_DEBUG === 'log' ? 'debug' : 'info',
    settings: (sim) => ({
      ...demoValidationSettings({ ...sim, guestSupport: { mode: 'synthetic' } }),
      GG_MAX_VMS_PER_SUBSCRIPTION: String(quota),
      GG_MAX_VMS_PER_REGION: String(quota),
      ...(process.env.GG_INVENTORY === undefined ? {} : { GG_INVENTORY: process.env.GG_INVENTORY }),
    }),
  });
  try {
    const report = await runDeliveryFlood(stack, {
      versions,
      deliveries,
      duplicateShare: duplicates / 100,
      concurrency,
      seed,
      ...(process.env.IMAGE ? { image: process.env.IMAGE } : {}),
      deadlineMs: 60 * 60_000,
    });
    const lines = [...floodFigures(report), ['log lines by level', JSON.stringify(stack.logLevels)]];
    const width = Math.max(...lines.map(([k]) => k!.length));
    for (const [k, v] of lines) console.log(`${k!.padEnd(width)}  ${v}`);
    const bad = report.state.versions.filter((v) => v.runs !== 1 || v.vmSets !== 1 || v.finished !== 1);
    const fivexx = report.send.results.filter((x) => x.status >= 500 || x.status === 0).length;
    if (bad.length > 0 || fivexx > 0 || report.state.leftovers.length > 0) {
      console.error(
        `FAILED: ${bad.length} versions without exactly one finished run and VM set, ${fivexx} 5xx or unanswered, ${report.state.leftovers.length} leftovers`,
      );
      process.exitCode = 1;
    }
  } finally {
    await stack.close();
  }
}
