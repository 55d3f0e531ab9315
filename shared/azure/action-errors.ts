import { isRestError } from '@azure/core-rest-pipeline';

/**
 * Errors of verdict actions. A transient error means "try again later" (the caller requeues the work
 * with a visibility delay); a permanent one has been recorded and, for remediation, paged.
 */
export class TransientActionError extends Error {
  readonly retryAfterMs?: number;
  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, { cause: options.cause });
    this.name = 'TransientActionError';
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The version cannot take a write yet (replication or another write in progress, or role assignments
 * still propagating): come back later. Waiting is not a failed attempt, so it never spends
 * GG_ACTION_MAX_ATTEMPTS.
 */
export class ActionWaitError extends TransientActionError {
  constructor(message: string, options: { cause?: unknown; retryAfterMs?: number } = {}) {
    super(message, options);
    this.name = 'ActionWaitError';
  }
}

export class PermanentActionError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'PermanentActionError';
  }
}

/** A policy or action parameter that cannot be used; raised when it is loaded, not when it acts. */
export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EPIPE',
  'REQUEST_SEND_ERROR',
]);

/** HTTP status of an SDK error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  if (isRestError(error)) return error.statusCode;
  if (typeof error === 'object' && error !== null && 'statusCode' in error) {
    const value = error.statusCode;
    return typeof value === 'number' ? value : undefined;
  }
  return undefined;
}

/** ARM's error code of an SDK error (RestError.code), if any. */
export function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A write refused because the resource is busy: 409 with OperationNotAllowed (what Compute answers for
 * an operation not allowed in the resource's current state) or Conflict (another operation in progress).
 * Quota errors share OperationNotAllowed but never come from a gallery write.
 */
export function isBusyConflict(error: unknown): boolean {
  return statusOf(error) === 409 && /^(OperationNotAllowed|Conflict|AnotherOperationInProgress)$/i.test(codeOf(error) ?? '');
} // prettier-ignore

/** Throttling, server errors and network failures are worth retrying; 4xx (except 408/429) are not. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientActionError) return true;
  if (error instanceof PermanentActionError) return false;
  const status = statusOf(error);
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}
