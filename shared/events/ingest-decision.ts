import type { ValidationRun } from '../ledger/validation-run';

/** What ingest did with one event; recorded in the audit table and returned to the caller. */
export const IngestDecision = {
  RunCreated: 'run-created',
  Duplicate: 'duplicate',
  /** ARM does not show the version (yet): a run waits for it, bounded (GG_UNCONFIRMED_WAIT_MINUTES). */
  AwaitingArm: 'awaiting-arm',
  RunCancelled: 'run-cancelled',
  /** A delete signal for a version ARM still shows: nothing is cancelled. */
  DeleteNotConfirmed: 'delete-not-confirmed',
  NothingToCancel: 'nothing-to-cancel',
  OutOfScope: 'ignored-out-of-scope',
  Ignored: 'ignored',
  /** An event that contradicts itself (subject vs data.resourceUri): recorded, nothing done. */
  Rejected: 'rejected',
} as const;
export type IngestDecision = (typeof IngestDecision)[keyof typeof IngestDecision];

export interface IngestOutcome {
  readonly eventId: string;
  readonly decision: IngestDecision;
  readonly reason?: string;
  readonly versionId?: string;
  readonly run?: ValidationRun;
}
