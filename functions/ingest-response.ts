import type { HttpResponseInit } from '@azure/functions';
import type { IngestOutcome } from '../shared/events/ingest-decision';
import { ingestReceivedEvents } from '../shared/events/ingest-received-events';
import type { ReceivedEvent } from '../shared/events/version-signal';
import { isTransientStorageError, statusOf } from '../shared/azure/rest-errors';
import { ArmFault, classifyArmError } from '../shared/azure/arm-error-classification';
import { TableKeyError } from '../shared/azure/table-key';
import { toError, type Logger } from '../shared/logging/logger';
import type { Services } from '../shared/app/services';

function summary(outcome: IngestOutcome): Record<string, unknown> {
  const { run } = outcome;
  return {
    eventId: outcome.eventId,
    decision: outcome.decision,
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
    ...(outcome.versionId === undefined ? {} : { versionId: outcome.versionId }),
    ...(run === undefined
      ? {}
      : { run: { runId: run.runId, attempt: run.attempt, state: run.state, sources: run.sources } }),
  };
}

/**
 * Runs ingest for parsed events and maps the result to what webhook senders understand: 200 for
 * everything handled or ignored (no retry wanted), 503 for transient storage trouble and 500 for
 * anything unexpected (both retried by Event Grid and action groups; ingest is idempotent).
 */
export async function ingestResponse(
  services: Services,
  log: Logger,
  events: readonly ReceivedEvent[],
  extraBody: Record<string, unknown> = {},
): Promise<HttpResponseInit> {
  try {
    const outcomes = await ingestReceivedEvents(services, events);
    return { status: 200, jsonBody: { ...extraBody, outcomes: outcomes.map(summary) } };
  } catch (thrown) {
    const error = toError(thrown);
    const permanent = permanentInputError(thrown);
    if (permanent !== undefined) return badRequest(log, permanent);
    const transient = isTransientStorageError(thrown) || isTransientArmError(thrown);
    log.error(transient ? 'Storage unavailable; asking the sender to retry' : 'Ingest failed', {
      error,
      eventIds: events.map((e) => e.eventId),
    });
    return {
      status: transient ? 503 : 500,
      jsonBody: { error: transient ? 'storage unavailable' : 'internal error' },
    };
  }
}

/**
 * Errors that no redelivery can fix, because the input itself is what storage refuses (a key it
 * cannot encode, a value it will not store): answered 400 with the reason, never 500 (Event Grid
 * retries 5xx for 24 hours). Parsing rejects what it can foresee; this is the backstop.
 */
function permanentInputError(error: unknown): string | undefined {
  if (error instanceof URIError) return `input cannot be encoded: ${error.message}`;
  if (error instanceof TableKeyError) return `input cannot be a table key: ${error.message}`;
  if (statusOf(error) === 400) {
    const code = (error as { code?: unknown }).code;
    return `storage refused the input (${typeof code === 'string' ? code : 'Bad Request'})`;
  }
  return undefined;
}

/** ARM trouble while confirming a signal (throttled, 5xx, network): the sender should retry. */
function isTransientArmError(error: unknown): boolean {
  const fault = classifyArmError(error).fault;
  return fault === ArmFault.Throttled || fault === ArmFault.Transient;
}

export function badRequest(log: Logger, message: string): HttpResponseInit {
  log.warn('Rejected payload', { status: 400, reason: message });
  return { status: 400, jsonBody: { error: message } };
}

export function tooLarge(log: Logger, reason = 'body larger than 1 MiB'): HttpResponseInit {
  log.warn('Rejected payload', { status: 413, reason });
  return { status: 413, jsonBody: { error: `payload too large: ${reason}` } };
}
