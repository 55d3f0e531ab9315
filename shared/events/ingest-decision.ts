import type { ValidationRun } from '../ledger/validation-run';

/** What ingest did with one event; recorded in the audit table and returned to the caller. */
export const IngestDecision = {
  RunCreated: 'run-created',
  Duplicate: 'duplicate',
  RunCancelled: 'run-cancelled',
  NothingToCancel: 'nothing-to-cancel',
  OutOfScope: 'ignored-out-of-scope',
  Ignored: 'ignored',
} as const;
export type IngestDecision = (typeof IngestDecision)[keyof typeof IngestDecision];

export interface IngestOutcome {
  readonly eventId: string;
  readonly decision: IngestDecision;
  readonly reason?: string;
  readonly versionId?: string;
  readonly run?: ValidationRun;
}
