import type { ValidationRun } from './validation-run';

/** Insert found the row already there (HTTP 409): carries the row that won, so callers can go on with it. */
export class RunAlreadyExistsError extends Error {
  constructor(
    readonly existing: ValidationRun,
    options?: { cause?: unknown },
  ) {
    super(`Run ${existing.runId} already exists`, options);
    this.name = 'RunAlreadyExistsError';
  }
}

/**
 * An ETag-guarded update lost a race (HTTP 412) or the row vanished (404): carries the current row
 * (undefined if gone) so the caller can re-decide from fresh state.
 */
export class RunConflictError extends Error {
  constructor(
    readonly runId: string,
    readonly current: ValidationRun | undefined,
    options?: { cause?: unknown },
  ) {
    super(`Run ${runId} changed underneath the update`, options);
    this.name = 'RunConflictError';
  }
}
