import type { SimulatorProcess } from './simulator-process';

/**
 * Samples the number of validation VMs that exist in the simulator (admin API) every `intervalMs`.
 * Sampling can miss a peak shorter than the interval, so the benchmark also reports the exact upper
 * bound from each run's own timestamps (see peakFromIntervals).
 */
export function sampleLiveVms(
  sim: SimulatorProcess,
  intervalMs = 100,
): { peak(): number; stop(): Promise<void> } {
  let peak = 0;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const { value } = await sim.admin<{ value: { type: string; origin: string }[] }>(
        'GET',
        '/resources?origin=api',
      );
      const vms = value.filter((r) => /^Microsoft\.Compute\/virtualMachines$/i.test(r.type)).length;
      peak = Math.max(peak, vms);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    peak: () => peak,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

/**
 * Most VMs that can have existed at once: each run's VMs exist at most from its first create request
 * until its cleanup confirmed them gone, so overlapping those intervals bounds the true peak from above.
 */
export function peakFromIntervals(intervals: readonly { start: number; end: number; vms: number }[]): number {
  const edges = intervals.flatMap((i) => [
    { t: i.start, d: i.vms },
    { t: i.end, d: -i.vms },
  ]);
  edges.sort((a, b) => a.t - b.t || a.d - b.d);
  let live = 0;
  let peak = 0;
  for (const e of edges) {
    live += e.d;
    peak = Math.max(peak, live);
  }
  return peak;
}
