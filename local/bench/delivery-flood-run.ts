import { loadavg } from 'node:os';
import { percentile } from './bench-metrics';
import type { BenchStack } from './bench-stack';
import { planFlood, sendFlood, type FloodPlan, type FloodSend } from './delivery-flood';
import { floodSettled, floodState, type FloodState } from './flood-state';
import { BENCH_IMAGE, publishVersions } from './publish-versions';
import { BENCH_GALLERY_ID } from './bench-stack';

export interface FloodOptions {
  readonly versions: number;
  readonly deliveries: number;
  readonly duplicateShare: number;
  readonly concurrency: number;
  readonly seed: number;
  /** Demo image the versions are published under (default the healthy Linux bench image). */
  readonly image?: string;
  /** Prefix of the published version names (`<prefix>.0.<i>`), so one stack can run several floods. */
  readonly versionPrefix?: number;
  /** Give up waiting for the verdicts this long after the flood started (ms); the state is read anyway. */
  readonly deadlineMs: number;
}

export interface FloodReport {
  readonly options: FloodOptions;
  readonly versionIds: readonly string[];
  readonly plan: FloodPlan;
  readonly send: FloodSend;
  readonly state: FloodState;
  /** Publish start → every run finished (ms). */
  readonly totalMs: number;
  /** Last delivery answered → every run finished (ms). */
  readonly settleMs: number;
  readonly loadAverage: { readonly before: number; readonly after: number };
}

/**
 * Acceptance 3 of issue 11 as an experiment: publishes `versions` real versions in the simulator
 * through the SDK, floods the runner with `deliveries` shuffled deliveries from the three sources
 * (`duplicateShare` of them exact redeliveries), `concurrency` in flight, waits until every run has
 * its verdict and its VMs are gone, then reads the outcome from Table Storage and the simulator.
 */
export async function runDeliveryFlood(stack: BenchStack, options: FloodOptions): Promise<FloodReport> {
  const before = loadavg()[0]!;
  const started = Date.now();
  const image = options.image ?? BENCH_IMAGE;
  const names = await publishVersions(
    stack.compute,
    options.versions,
    1,
    options.versionPrefix ?? 7,
    25,
    image,
  );
  const versionIds = names.map((n) => `${BENCH_GALLERY_ID}/images/${image}/versions/${n}`);
  const plan = planFlood({
    versionIds,
    total: options.deliveries,
    duplicateShare: options.duplicateShare,
    seed: options.seed,
  });
  const send = await sendFlood({
    baseUrl: stack.url,
    functionKey: stack.functionKey,
    deliveries: plan.deliveries,
    concurrency: options.concurrency,
  });
  const sent = Date.now();
  // Poll the outcome (state, not a sleep): every version has a run and every run is finished.
  while (!(await floodSettled(stack.services, versionIds))) {
    if (Date.now() - started > options.deadlineMs) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const settled = Date.now();
  const state = await floodState(stack.services, stack.sim, versionIds);
  return {
    options,
    versionIds,
    plan,
    send,
    state,
    totalMs: settled - started,
    settleMs: settled - sent,
    loadAverage: { before, after: loadavg()[0]! },
  };
}

const count = <T>(items: readonly T[], key: (t: T) => string): Record<string, number> =>
  items.reduce<Record<string, number>>((acc, t) => ({ ...acc, [key(t)]: (acc[key(t)] ?? 0) + 1 }), {});

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const distribution = (values: readonly number[]): string =>
  Object.entries(count(values, String))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');

/** The figures a person reads (and the README quotes), as label/value rows. */
export function floodFigures(r: FloodReport): [string, string][] {
  const results = r.send.results;
  const latencies = results.map((x) => x.ms);
  const versions = r.state.versions;
  const verdicts = count(
    versions.flatMap((v) => v.verdicts),
    (v) => v,
  );
  const bySource = count(
    results,
    (x) => `${x.delivery.source}${x.delivery.redelivery ? ' (redelivery)' : ''}`,
  );
  return [
    ['seed', String(r.plan.seed)],
    ['versions published (SDK, simulator)', `${r.versionIds.length} of ${r.options.image ?? BENCH_IMAGE}`],
    [
      'deliveries: distinct / exact redeliveries',
      `${results.length}: ${r.plan.distinct} / ${r.plan.redeliveries} (${((100 * r.plan.redeliveries) / results.length).toFixed(0)} %)`,
    ],
    ['deliveries by source', JSON.stringify(bySource)],
    ['in flight (most at once)', String(r.send.peakInFlight)],
    ['HTTP statuses', JSON.stringify(count(results, (x) => String(x.status)))],
    ['response time p50 / p95 / max', `${ms(percentile(latencies, 50))} / ${ms(percentile(latencies, 95))} / ${ms(Math.max(...latencies))}`],
    ['deliveries sent in', `${(r.send.wallMs / 1000).toFixed(2)} s`],
    ['run rows per version (Table)', distribution(versions.map((v) => v.runs))],
    ['run rows for other versions', String(r.state.strayRuns)],
    ['runs finished (verdict, VMs gone)', `${versions.reduce((a, v) => a + v.finished, 0)} ${JSON.stringify(verdicts)}`],
    ['VM sets per version (simulator records)', distribution(versions.map((v) => v.vmSets))],
    ['VMs created per version', distribution(versions.map((v) => v.vmsCreated))],
    ['VM names created twice', String(versions.reduce((a, v) => a + v.recreated.length, 0))],
    ['versions whose VMs are exactly their run\'s plan', `${versions.filter((v) => v.vmsMatchPlan).length} of ${versions.length}`],
    ['leftover VMs / NICs / disks', String(r.state.leftovers.length)],
    ['last answer → every run finished', `${(r.settleMs / 1000).toFixed(2)} s`],
    ['total (publish → every run finished)', `${(r.totalMs / 1000).toFixed(2)} s`],
    ['load average (1 min) before / after', `${r.loadAverage.before.toFixed(2)} / ${r.loadAverage.after.toFixed(2)}`],
  ]; // prettier-ignore
}
