import type { HttpResponseInit } from '@azure/functions';
import { isTransientStorageError } from '../shared/azure/rest-errors';
import { toError, type Logger } from '../shared/logging/logger';
import { OperatorInputError, OperatorNotFoundError } from '../shared/operator/operator-errors';

/**
 * Runs an operator use case and maps what it throws to what an HTTP caller can act on: 400 with the
 * message for bad input, 404 for nothing found, 503 (retry) for transient storage trouble, else 500.
 */
export async function operatorResponse(
  log: Logger,
  what: string,
  work: () => Promise<unknown>,
): Promise<HttpResponseInit> {
  try {
    return { status: 200, jsonBody: await work() };
  } catch (thrown) {
    if (thrown instanceof OperatorInputError) {
      log.warn(`Rejected ${what} request`, { status: 400, reason: thrown.message });
      return { status: 400, jsonBody: { error: thrown.message } };
    }
    if (thrown instanceof OperatorNotFoundError) return { status: 404, jsonBody: { error: thrown.message } };
    const error = toError(thrown);
    if (isTransientStorageError(thrown)) {
      log.warn(`${what} failed transiently; the caller may retry`, { error });
      return {
        status: 503,
        headers: { 'retry-after': '5' },
        jsonBody: { error: 'storage unavailable, retry' },
      };
    }
    log.error(`${what} failed`, { error });
    return { status: 500, jsonBody: { error: `${what} failed: ${error.name}` } };
  }
}
