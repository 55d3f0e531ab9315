/**
 * The phases of a validation run, in order. Each is a small idempotent function (phases/); the engine
 * (reconcile-run.ts) runs the current one, persists the result with the run row's ETag and moves on.
 */
export const Phase = {
  Resolve: 'Resolve',
  AwaitReplication: 'AwaitReplication',
  Plan: 'Plan',
  AcquireSlots: 'AcquireSlots',
  CreateVms: 'CreateVms',
  AwaitReady: 'AwaitReady',
  InspectBootLogs: 'InspectBootLogs',
  RunGuestChecks: 'RunGuestChecks',
  CompareIdentities: 'CompareIdentities',
  CompareInventory: 'CompareInventory',
  Decide: 'Decide',
  CleanUp: 'CleanUp',
  ActOnVerdict: 'ActOnVerdict',
  Complete: 'Complete',
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

/** A stored phase this build does not know (a newer build wrote it, or the row was edited by hand). */
export class UnknownPhaseError extends Error {
  constructor(readonly value: unknown) {
    super(`Unknown validation phase ${JSON.stringify(value)}`);
    this.name = 'UnknownPhaseError';
  }
}

/** A run that has no phase yet starts at Resolve; any other value must be a known phase. */
export function parsePhase(value: unknown): Phase {
  if (value === undefined || value === null || value === '') return Phase.Resolve;
  const phase = Object.values(Phase).find((p) => p === value);
  if (phase === undefined) throw new UnknownPhaseError(value);
  return phase;
}

/** The phases a run works through, in order (Complete is where it ends, not a step). */
export const PHASE_ORDER: readonly Phase[] = Object.values(Phase).filter((p) => p !== Phase.Complete);

/** `{ step, of }` of a phase, for progress shown to people (`AwaitReady` is step 6 of 12). */
export function phasePosition(phase: Phase): { readonly step: number; readonly of: number } {
  const index = PHASE_ORDER.indexOf(phase);
  return { step: index < 0 ? PHASE_ORDER.length : index + 1, of: PHASE_ORDER.length };
}
