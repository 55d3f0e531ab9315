export { AUDIT_TABLE, AuditLog, type AuditEntry, type AuditRow } from './audit-log';
export { RunAlreadyExistsError, RunConflictError } from './ledger-errors';
export { attemptRowKey, parseRunId, runIdOf, runKeyOf, versionPartitionKey, type RunKey } from './run-key';
export {
  RUN_INDEX_TABLE,
  RunIndex,
  type IndexedRun,
  type RunIndexPage,
  type RunIndexQuery,
} from './run-index';
export { RUN_TABLE, RunLedger, type NewRun, type RunChanges } from './run-ledger';
export { RUN_QUEUE_NAME, RunQueue, decodeRunMessage, encodeRunMessage } from './run-queue';
export { RunState, TERMINAL_RUN_STATES, isTerminalRunState } from './run-state';
export { isTransientStorageError, statusOf } from '../azure/rest-errors';
export type { ValidationRun } from './validation-run';
