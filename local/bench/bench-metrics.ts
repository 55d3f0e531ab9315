import type { ValidationState } from '../../shared/validation/run/validation-state';

/** What one finished run tells the benchmark (all times in ms since epoch). */
export interface RunTiming {
  readonly verdict: string;
  readonly eventAt: number;
  readonly firstCreateAt: number;
  /** When the run started creating VMs (its slots were taken just before). */
  readonly createStepAt: number;
  readonly vmCount: number;
  /** Slot taken: the run's first VM create request. */
  readonly decidedAt: number;
  /** Every VM of the run confirmed deleted (slots released). */
  readonly cleanedUpAt: number;
  readonly armCalls: number;
  readonly steps: ValidationState['steps'];
}

export function runTiming(firstSeenAt: string, state: ValidationState): RunTiming | undefined {
  const creates = state.vms.map((v) => Date.parse(v.createRequestedAt ?? '')).filter((t) => !Number.isNaN(t));
  if (creates.length === 0 || state.decidedAt === undefined || state.cleanedUpAt === undefined)
    return undefined;
  return {
    verdict: state.verdict ?? 'none',
    eventAt: Date.parse(firstSeenAt),
    firstCreateAt: Math.min(...creates),
    createStepAt: Date.parse(state.steps.CreateVms?.startedAt ?? '') || Math.min(...creates),
    vmCount: state.vms.length,
    decidedAt: Date.parse(state.decidedAt),
    cleanedUpAt: Date.parse(state.cleanedUpAt),
    armCalls: state.armCalls,
    steps: state.steps,
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Mean attempts, ARM calls and span (first start → last end) of each step over the runs. */
export function stepSummary(runs: readonly RunTiming[]): string[] {
  const phases = new Map<string, { attempts: number; calls: number; spanMs: number; n: number }>();
  for (const run of runs) {
    for (const [phase, s] of Object.entries(run.steps)) {
      const acc = phases.get(phase) ?? { attempts: 0, calls: 0, spanMs: 0, n: 0 };
      acc.attempts += s.attempts;
      acc.calls += s.armCalls;
      acc.spanMs += Date.parse(s.endedAt ?? s.startedAt) - Date.parse(s.startedAt);
      acc.n += 1;
      phases.set(phase, acc);
    }
  }
  return [...phases.entries()].map(
    ([phase, a]) =>
      `  ${phase.padEnd(18)} attempts ${(a.attempts / a.n).toFixed(2).padStart(6)}  ARM calls ${(a.calls / a.n).toFixed(2).padStart(6)}  span ${seconds(a.spanMs / a.n).padStart(9)}`,
  );
}
