/**
 * `npm run bench`: a burst of N image versions × R regions validated under a VM quota Q, against the
 * ARM simulator (time-scaled) and Azurite, with the real function definitions in the local runner.
 *
 * D (single-validation duration) = how long one validation holds its VM slots, from its first VM
 * create request to the confirmed deletion of its VMs, measured on an idle system first (calibration
 * run). With every validation holding R slots for D, no schedule beats ceil(N·R/Q)·D.
 */
import { createServer } from 'node:net';
import { functionDefinitions } from '../../functions/definitions';
import { createArmClients } from '../../shared/azure/arm-clients';
import { loadConfig } from '../../shared/config';
import { RUN_TABLE, isTerminalRunState, type RunState } from '../../shared/ledger';
import { createServices } from '../../shared/app/services';
import { localCredential } from '../azure/local-token-credential';
import { ArmCallLimiter, DEFAULT_LIMITS } from '../../shared/azure/arm-call-limiter';
import { Phase } from '../../shared/validation/run/validation-phase';
import { readProgress } from '../../shared/validation/run/validation-state';
import { DEMO } from '../arm-sim/scenarios';
import { startAzurite } from '../azurite';
import { DEMO_VALIDATION_SUBNETS } from '../demo/demo-validation-settings';
import { startLocalRunner } from '../runner';
import { benchOptions } from './bench-options';
import { percentile, runTiming, seconds, stepSummary, type RunTiming } from './bench-metrics';
import { peakFromIntervals, sampleLiveVms } from './live-vm-sampler';
import { startSimulatorProcess } from './simulator-process';
import { armBudgetBench } from './arm-budget-bench';
import { deliveryFloodBench } from './delivery-flood-bench';
import { BENCH_IMAGE, publishVersions } from './publish-versions';
import { measureInventoryCost } from './inventory-cost';

const FUNCTION_KEY = 'bench-key';
const INSTANCES = 4;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function main(): Promise<void> {
  const o = benchOptions();
  const port = await freePort();
  // The simulator runs in its own process so that it does not share a CPU core with the engine.
  const sim = await startSimulatorProcess({
    timeScale: o.timeScale,
    webhookUrl: `http://127.0.0.1:${port}/api/events/eventgrid?code=${FUNCTION_KEY}`,
  });
  const azurite = await startAzurite({ inMemory: true });
  const boot = 90 / o.timeScale; // real seconds a healthy demo Linux VM takes to boot
  const config = loadConfig({
    AzureWebJobsStorage: azurite.connectionString,
    GG_ARM_ENDPOINT: sim.endpoint,
    GG_ARM_CA_CERT_PATH: sim.caCertPath,
    GG_ARM_POLL_INTERVAL_MS: String(Math.max(50, Math.round((22 / o.timeScale) * 1000))),
    GG_GALLERY_SCOPES: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`,
    GG_VALIDATION_SUBSCRIPTION_ID: DEMO.subscriptionId,
    GG_VALIDATION_RESOURCE_GROUP: DEMO.validationResourceGroup,
    GG_VALIDATION_SUBNETS: JSON.stringify(DEMO_VALIDATION_SUBNETS),
    GG_MAX_VMS_PER_SUBSCRIPTION: String(o.quota),
    GG_MAX_VMS_PER_REGION: String(o.quota),
    GG_VALIDATION_POLL_MS: String(Math.max(1000, Math.round(boot * 1000))),
    GG_VALIDATION_SLOT_WAIT_MS: '30000',
    GG_INFRA_BACKOFF_MS: '1000',
    GG_VALIDATION_CLAIM_SECONDS: '60',
    GG_RECONCILE_GRACE_MS: '10000',
    GG_DEFAULT_MODE: 'report-only',
    GG_LOCAL_FUNCTION_KEY: FUNCTION_KEY,
    GG_LOG_LEVEL: process.env.BENCH_DEBUG === 'log' ? 'debug' : 'info',
  });
  const levels: Record<string, number> = {};
  const scaled = (ratePerSecond: number, burst: number) => ({
    ratePerSecond: ratePerSecond * o.timeScale,
    burst,
  });
  const services = createServices(config, {
    credential: localCredential,
    logSink: (level) => void (levels[level] = (levels[level] ?? 0) + 1),
    // ARM's rate limits are per simulated second here: scale the limiter's buckets with the clock.
    limiter: new ArmCallLimiter({
      ...DEFAULT_LIMITS,
      buckets: { read: scaled(25, 250), write: scaled(10, 200), delete: scaled(10, 200) },
    }),
  });
  // Several instances poll the run queue, as the Functions host scales out; the first one also
  // receives the simulator's Event Grid deliveries.
  const runners = [];
  for (let i = 0; i < INSTANCES; i++) {
    runners.push(
      await startLocalRunner({
        definitions: functionDefinitions(services),
        functionKey: FUNCTION_KEY,
        port: i === 0 ? port : 0,
        queue: services.storage.queue,
        logger: services.logger,
        queuePollIntervalMs: 25,
        queueBatchSize: 16,
        runTimersOnSchedule: false,
      }),
    );
  }
  const runner = runners[0]!;
  const reconciler = setInterval(
    () => void runner.triggerTimer('validation-reconciler').catch(() => undefined),
    5000,
  );
  const compute = createArmClients(config, DEMO.subscriptionId, localCredential).compute;

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
    clearInterval(reconciler);
    for (const r of runners) await r.close();
    await azurite.close();
    await sim.close();
  }
}

const BENCHES: Record<string, () => Promise<void>> = {
  'arm-budget': armBudgetBench,
  deliveries: deliveryFloodBench,
};

(BENCHES[process.env.BENCH ?? ''] ?? main)().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
