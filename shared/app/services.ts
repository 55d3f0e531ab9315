import { DefaultAzureCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import type { Config } from '../config';
import { createStorageClients, type StorageClients } from '../azure/storage-clients';
import { AUDIT_TABLE, AuditLog } from '../ledger/audit-log';
import { RUN_TABLE, RunLedger } from '../ledger/run-ledger';
import { RUN_QUEUE_NAME, RunQueue } from '../ledger/run-queue';
import { createLogger, type Logger, type LogSink } from '../logging/logger';
import { systemClock, type Clock } from '../runtime/clock';

/**
 * Everything a handler needs, built once from Config (the composition root). Functions receive this
 * object; nothing below it reads the environment or constructs clients of its own.
 */
export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Lazily created DefaultAzureCredential (not used offline with connection strings). */
  readonly credential: () => TokenCredential;
  readonly storage: StorageClients;
  readonly ledger: RunLedger;
  readonly runQueue: RunQueue;
  readonly audit: AuditLog;
}

export interface ServiceOptions {
  readonly clock?: Clock;
  readonly logSink?: LogSink;
  readonly credential?: TokenCredential;
}

export function createServices(config: Config, options: ServiceOptions = {}): Services {
  const clock = options.clock ?? systemClock;
  const logger = createLogger({ level: config.ingest.logLevel, sink: options.logSink });
  let credential: TokenCredential | undefined = options.credential;
  const lazyCredential = (): TokenCredential => (credential ??= new DefaultAzureCredential());
  const storage = createStorageClients(config.storage, lazyCredential);
  return {
    config,
    logger,
    clock,
    credential: lazyCredential,
    storage,
    ledger: new RunLedger(storage.table(RUN_TABLE), clock),
    runQueue: new RunQueue(storage.queue(RUN_QUEUE_NAME)),
    audit: new AuditLog(storage.table(AUDIT_TABLE), clock),
  };
}
