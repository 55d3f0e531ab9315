import type { VersionLookup } from '../azure/version-instance';
import type { Config } from '../config';
import type { AuditLog } from '../ledger/audit-log';
import type { RunLedger } from '../ledger/run-ledger';
import type { RunQueue } from '../ledger/run-queue';
import type { Logger } from '../logging/logger';
import type { Clock } from '../runtime/clock';

/** What ingest needs from the composition root (shared/app/services satisfies it). */
export interface IngestServices {
  readonly config: Config;
  readonly ledger: RunLedger;
  readonly runQueue: RunQueue;
  readonly logger: Logger;
  readonly clock: Clock;
  /** ARM's word on a version: every signal is a pointer, checked here before anything is decided. */
  readonly lookupVersion: VersionLookup;
}

/** Webhook ingest also writes the audit table. */
export interface ReceivedEventServices extends IngestServices {
  readonly audit: AuditLog;
}
