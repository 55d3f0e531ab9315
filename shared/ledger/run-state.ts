/**
 * Lifecycle of one validation run (one attempt at validating one image version). Only `Queued` is
 * written by ingest; the validation engine moves runs on and may add states here.
 */
export const RunState = {
  Queued: 'Queued',
  Running: 'Running',
  Passed: 'Passed',
  Failed: 'Failed',
  Inconclusive: 'Inconclusive',
  Cancelled: 'Cancelled',
} as const;
export type RunState = (typeof RunState)[keyof typeof RunState];

/** States after which nothing more happens to the run. */
export const TERMINAL_RUN_STATES: readonly RunState[] = [
  RunState.Passed,
  RunState.Failed,
  RunState.Inconclusive,
  RunState.Cancelled,
];

export function isTerminalRunState(state: RunState): boolean {
  return TERMINAL_RUN_STATES.includes(state);
}

export function parseRunState(value: unknown): RunState {
  const state = Object.values(RunState).find((s) => s === value);
  if (state === undefined) throw new Error(`Unknown run state "${String(value)}"`);
  return state;
}
