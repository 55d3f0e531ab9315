/**
 * `npm run bench`: a burst of N image versions × R regions validated under a VM quota Q, against the
 * ARM simulator (time-scaled) and Azurite, with the real function definitions in the local runner.
 *
 * D (single-validation duration) = how long one validation holds its VM slots, from its first VM
 * create request to the confirmed deletion of its VMs, measured on an idle system first (calibration
 * run). With every validation holding R slots for D, no schedule beats ceil(N·R/Q)·D.
 */
import { RUN_TABLE, isTerminalRunState, type RunState } from '../../shared/ledger';
import { Phase } from '../../shared/validation/run/validation-phase';
import { readProgress } from '../../shared/validation/run/validation-state';
import { DEMO_VALIDATION_SUBNETS } from '../demo/demo-validation-settings';
import { benchOptions } from './bench-options';
import { startBenchStack } from './bench-stack';
import { percentile, runTiming, seconds, stepSummary, type RunTiming } from './bench-metrics';
import { peakFromIntervals, sampleLiveVms } from './live-vm-sampler';
import { armBudgetBench } from './arm-budget-bench';
import { deliveryFloodBench } from './delivery-flood-bench';
import { BENCH_IMAGE, publishVersions } from './publish-versions';
import { measureInventoryCost } from './inventory-cost';

const INSTANCES = 4;

async function main(): Promise<void> {
  const o = benchOptions();
  const boot = 90 / o.timeScale; // real seconds a healthy demo Linux VM takes to boot
  const stack = await startBenchStack({
    timeScale: o.timeScale,
    instances: INSTANCES,
    eventGridWebhook: true,
    logLevel: process.env.BENCH_DEBUG === 'log' ? 'debug' : 'info',
    settings: () => ({
      GG_ARM_POLL_INTERVAL_MS: String(Math.max(50, Math.round((22 / o.timeScale) * 1000))),
      GG_VALIDATION_SUBNETS: JSON.stringify(DEMO_VALIDATION_SUBNETS),
      GG_MAX_VMS_PER_SUBSCRIPTION: String(o.quota),
      GG_MAX_VMS_PER_REGION: String(o.quota),
      GG_VALIDATION_POLL_MS: String(Math.max(1000, Math.round(boot * 1000))),
      GG_VALIDATION_SLOT_WAIT_MS: '30000',
      GG_INFRA_BACKOFF_MS: '1000',
      GG_VALIDATION_CLAIM_SECONDS: '60',
      GG_RECONCILE_GRACE_MS: '10000',
    }),
  });
  const { sim, services, compute } = stack;
  const levels = stack.logLevels;

  const finished = async (expected: number, prefix: string): Promise<RunTiming[]> => {
    await services.ledger.ensureTable();
    for (;;) {
      const timings: RunTiming[] = [];
      let done = 0;
      const table = services.storage.table(RUN_TABLE);
      for await (const row of table.listEntities<Record<string, unknown>>()) {
        if (!String(row.versionId).includes(`/images/${BENCH_IMAGE}/versions/${prefix}.`)) continue;
        const progress = readProgress(row as Record<string, string>);
        if (!isTerminalRunState(row.state as RunState) || progress.phase !== Phase.Complete) continue;
        done++;
        const t = runTiming(String(row.firstSeenAt), progress.state);
        if (t !== undefined) timings.push(t);
      }
      if (done >= expected) return timings;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  };

  try {
    console.log(`bench: N=${o.versions} R=${o.regions} Q=${o.quota}, simulator time scale ${o.timeScale}`);
    // Inventory's cost first, on the idle system: with vs without (the definition's gg-inventory tag).
    const inventoryLines =
      o.inventoryRuns > 0
        ? await measureInventoryCost({ compute, regions: o.regions, runs: o.inventoryRuns, finished })
        : [];
    for (const [k, v] of inventoryLines) console.log(`${k}  ${v}`);
    // Calibration: one validation on an idle system gives D.
    await publishVersions(compute, 1, o.regions, 8);
    const [calibration] = await finished(1, '8');
    if (calibration === undefined) throw new Error('calibration run did not produce timings');
    const d = calibration.cleanedUpAt - calibration.firstCreateAt;
    console.log(`D (one validation, VM create → VMs confirmed deleted, idle system) = ${seconds(d)}`);

    await sim.admin('DELETE', '/operations');
    const vms = sampleLiveVms(sim);
    const started = Date.now();
    await publishVersions(compute, o.versions, o.regions, 9);
    const publishArmCalls = (await sim.admin<{ total: number }>('GET', '/operations')).total;
    const runs = await finished(o.versions, '9');
    await vms.stop();
    const armTotal = (await sim.admin<{ total: number }>('GET', '/operations')).total - publishArmCalls;
    const throttled = await sim.admin<{ total: number; byPolicy: Record<string, number> }>(
      'GET',
      '/throttled',
    );
    const firstEvent = Math.min(...runs.map((r) => r.eventAt));
    const makespan = Math.max(...runs.map((r) => r.cleanedUpAt)) - firstEvent;
    const bound = Math.ceil((o.versions * o.regions) / o.quota) * d;
    const latency = runs.map((r) => r.firstCreateAt - r.eventAt);
    const holds = runs.map((r) => r.cleanedUpAt - r.createStepAt);
    const dBurst = percentile(holds, 50);
    const busy = runs.reduce((sum, r) => sum + (r.cleanedUpAt - r.createStepAt) * r.vmCount, 0);
    const lifetime = runs.map((r) => r.cleanedUpAt - r.decidedAt);
    const verdicts = runs.reduce<Record<string, number>>(
      (acc, r) => ({ ...acc, [r.verdict]: (acc[r.verdict] ?? 0) + 1 }),
      {},
    );
    const engineCalls = runs.map((r) => r.armCalls);
    const lines = [
      ['versions validated', `${runs.length} (${JSON.stringify(verdicts)})`],
      ['event → VM create latency, median', seconds(percentile(latency, 50))],
      ['event → VM create latency, p95', seconds(percentile(latency, 95))],
      ['makespan (first event → last VM deleted)', seconds(makespan)],
      [
        'lower bound ceil(N·R/Q)·D',
        `${Math.ceil((o.versions * o.regions) / o.quota)} × ${seconds(d)} = ${seconds(bound)}`,
      ],
      ['makespan / bound', (makespan / bound).toFixed(3)],
      ['D under load (median slot hold during the burst)', seconds(dBurst)],
      [
        'makespan / (ceil(N·R/Q) · D under load)',
        (makespan / (Math.ceil((o.versions * o.regions) / o.quota) * dBurst)).toFixed(3),
      ],
      ['VM slot utilisation over the makespan', `${((100 * busy) / (makespan * o.quota)).toFixed(1)} %`],
      [
        'ARM requests per validation (simulator count, incl. verdict actions)',
        (armTotal / runs.length).toFixed(1),
      ],
      [
        'ARM requests per validation (engine count), mean / max',
        `${(engineCalls.reduce((a, b) => a + b, 0) / runs.length).toFixed(1)} / ${Math.max(...engineCalls)}`,
      ],
      [
        "429s from Compute's per-VM/subscription limits (enforced by the simulator)",
        `${throttled.total} ${JSON.stringify(throttled.byPolicy)}`,
      ],
      ['peak concurrent VMs, sampled every 100 ms (quota Q)', `${vms.peak()} (${o.quota})`],
      [
        'peak concurrent VMs, upper bound from run intervals',
        String(
          peakFromIntervals(runs.map((r) => ({ start: r.createStepAt, end: r.cleanedUpAt, vms: r.vmCount }))),
        ),
      ],
      [
        'VM lifetime after verdict, median / p95',
        `${seconds(percentile(lifetime, 50))} / ${seconds(percentile(lifetime, 95))}`,
      ],
      ['wall time of the burst', seconds(Date.now() - started)],
      ['log lines by level', JSON.stringify(levels)],
      ...inventoryLines,
    ];
    const width = Math.max(...lines.map(([k]) => k!.length));
    for (const [k, v] of lines) console.log(`${k!.padEnd(width)}  ${v}`);
    if (process.env.BENCH_DEBUG) {
      const ends = runs.map((r) => r.cleanedUpAt).sort((a, b) => a - b);
      const gaps = runs
        .map((r) => r.createStepAt - (ends.filter((e) => e <= r.createStepAt).at(-1) ?? Number.NaN))
        .filter((g) => !Number.isNaN(g));
      console.log(
        `handover gap median ${seconds(percentile(gaps, 50))} p95 ${seconds(percentile(gaps, 95))} n=${gaps.length}`,
      );
      console.log(JSON.stringify(await sim.admin('GET', '/operations'), null, 1));
      for (const r of [...runs].sort((a, b) => a.eventAt - b.eventAt)) {
        const at = (t: number) => ((t - firstEvent) / 1000).toFixed(2).padStart(7);
        console.log(
          `event ${at(r.eventAt)} create ${at(r.firstCreateAt)} decided ${at(r.decidedAt)} deleted ${at(r.cleanedUpAt)}`,
        );
      }
    }
    console.log('per step (mean over runs):');
    for (const line of stepSummary(runs)) console.log(line);
  } finally {
    await stack.close();
  }
}

const BENCHES: Record<string, () => Promise<void>> = {
  'arm-budget': armBudgetBench,
  deliveries: deliveryFloodBench,
};

const bench = process.env.BENCH;
if (bench !== undefined && bench !== '' && BENCHES[bench] === undefined) {
  console.error(`BENCH must be one of ${Object.keys(BENCHES).join(', ')} (or unset), got "${bench}"`);
  process.exit(2);
}
(bench ? BENCHES[bench]! : main)().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
