import type { HttpResponseInit } from '@azure/functions';
import type { IngestOutcome } from '../shared/events/ingest-decision';
import { ingestReceivedEvents } from '../shared/events/ingest-received-events';
import type { ReceivedEvent } from '../shared/events/version-signal';
import { isTransientStorageError } from '../shared/azure/rest-errors';
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
): Promise<HttpResponseInit> {
  try {
    const outcomes = await ingestReceivedEvents(services, events);
    return { status: 200, jsonBody: { outcomes: outcomes.map(summary) } };
  } catch (thrown) {
    const error = toError(thrown);
    const transient = isTransientStorageError(thrown);
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

export function badRequest(log: Logger, message: string): HttpResponseInit {
  log.warn('Rejected payload', { status: 400, reason: message });
  return { status: 400, jsonBody: { error: message } };
}

export function tooLarge(log: Logger): HttpResponseInit {
  log.warn('Rejected payload', { status: 413, reason: 'body larger than 1 MiB' });
  return { status: 413, jsonBody: { error: 'payload too large' } };
}
