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
  Decide: 'Decide',
  CleanUp: 'CleanUp',
  ActOnVerdict: 'ActOnVerdict',
  Complete: 'Complete',
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

export function parsePhase(value: unknown): Phase {
  return Object.values(Phase).find((p) => p === value) ?? Phase.Resolve;
}
