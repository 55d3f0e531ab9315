import type { ComputeManagementClient } from '@azure/arm-compute';
import { DEMO } from '../arm-sim';
import { percentile, seconds, type RunTiming } from './bench-metrics';
import { BENCH_IMAGE, publishVersions } from './publish-versions';

/** Steps inventory touches: the check pass (script, parse, table write) and the diff. */
const STEPS = ['RunGuestChecks', 'CompareInventory'] as const;

export interface InventoryCostDeps {
  readonly compute: ComputeManagementClient;
  readonly regions: number;
  readonly runs: number;
  /** Waits until `expected` runs of versions `<prefix>.*` are complete; returns their timings. */
  readonly finished: (expected: number, prefix: string) => Promise<RunTiming[]>;
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

async function tagInventory(compute: ComputeManagementClient, value: 'on' | 'off'): Promise<void> {
  const image = await compute.galleryImages.get(DEMO.resourceGroup, DEMO.gallery, BENCH_IMAGE);
  await compute.galleryImages.beginUpdateAndWait(
    DEMO.resourceGroup,
    DEMO.gallery,
    BENCH_IMAGE,
    { tags: { ...image.tags, 'gg-inventory': value } },
    { updateIntervalInMs: 10 },
  );
}

function figures(runs: readonly RunTiming[]) {
  const stepMs = (r: RunTiming) =>
    STEPS.reduce((sum, s) => {
      const st = r.steps[s];
      return st?.endedAt === undefined ? sum : sum + Date.parse(st.endedAt) - Date.parse(st.startedAt);
    }, 0);
  const stepCalls = (r: RunTiming) => STEPS.reduce((sum, s) => sum + (r.steps[s]?.armCalls ?? 0), 0);
  return {
    armCalls: mean(runs.map((r) => r.armCalls)),
    stepCalls: mean(runs.map(stepCalls)),
    stepMs: percentile(runs.map(stepMs), 50),
    holdMs: percentile(
      runs.map((r) => r.cleanedUpAt - r.firstCreateAt),
      50,
    ),
  };
}

/**
 * Cost of inventory collection: `runs` validations of the bench image with its definition tagged
 * gg-inventory=off, then as many with it on, one batch at a time on an otherwise idle system. Returns
 * the report lines (ARM requests and seconds per validation, with vs without).
 */
export async function measureInventoryCost(deps: InventoryCostDeps): Promise<string[][]> {
  await tagInventory(deps.compute, 'off');
  await publishVersions(deps.compute, deps.runs, deps.regions, 6);
  const off = figures(await deps.finished(deps.runs, '6'));
  await tagInventory(deps.compute, 'on');
  await publishVersions(deps.compute, deps.runs, deps.regions, 7);
  const on = figures(await deps.finished(deps.runs, '7'));
  const row = (label: string, a: number, b: number, fmt: (n: number) => string) => [
    label,
    `${fmt(a)} without, ${fmt(b)} with (${b - a >= 0 ? '+' : ''}${fmt(b - a)})`,
  ];
  const n = (x: number) => x.toFixed(1);
  return [
    row(`inventory: ARM requests per validation (engine count, mean of ${deps.runs})`, off.armCalls, on.armCalls, n),
    row('inventory: ARM requests in RunGuestChecks + CompareInventory', off.stepCalls, on.stepCalls, n),
    row('inventory: seconds in RunGuestChecks + CompareInventory (median)', off.stepMs, on.stepMs, seconds),
    row('inventory: D, VM create → VMs deleted (median)', off.holdMs, on.holdMs, seconds),
  ];
} // prettier-ignore
