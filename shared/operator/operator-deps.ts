import type { StorageClients } from '../azure/storage-clients';
import type { Config } from '../config';
import type { RunIndex } from '../ledger/run-index';
import type { RunLedger } from '../ledger/run-ledger';
import type { RunQueue } from '../ledger/run-queue';
import type { Logger } from '../logging/logger';
import type { Clock } from '../runtime/clock';

/** What the operator use cases read and write (the app's Services satisfy it). */
export interface OperatorDeps {
  readonly config: Config;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly storage: StorageClients;
  readonly ledger: RunLedger;
  readonly runIndex: RunIndex;
  readonly runQueue: RunQueue;
}
