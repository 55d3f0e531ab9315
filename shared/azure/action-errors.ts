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

/** Throttling, server errors and network failures are worth retrying; 4xx (except 408/429) are not. */
export function isTransient(error: unknown): boolean {
  if (error instanceof TransientActionError) return true;
  if (error instanceof PermanentActionError) return false;
  const status = statusOf(error);
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  return typeof code === 'string' && TRANSIENT_CODES.has(code);
}
