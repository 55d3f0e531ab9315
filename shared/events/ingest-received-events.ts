import { IngestDecision, type IngestOutcome } from './ingest-decision';
import { ingestVersionSignal } from './ingest-version-signal';
import type { ReceivedEvent } from './version-signal';

import type { ReceivedEventServices } from './ingest-services';

export type { ReceivedEventServices } from './ingest-services';

/**
 * Webhook deliveries: each event either becomes a version signal (ingestVersionSignal) or is ignored
 * with a reason; either way it gets a log line and an audit row. Storage errors propagate, so the
 * webhook answers 5xx and the sender redelivers (safe: ingest is idempotent).
 */
export async function ingestReceivedEvents(
  services: ReceivedEventServices,
  events: readonly ReceivedEvent[],
): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = [];
  for (const event of events) {
    let outcome: IngestOutcome;
    if (event.signal !== undefined) {
      outcome = await ingestVersionSignal(services, event.signal);
    } else {
      services.logger.info('Ignored event', {
        eventId: event.eventId,
        source: event.source,
        eventType: event.eventType,
        decision: IngestDecision.Ignored,
        reason: event.ignoreReason,
      });
      outcome = { eventId: event.eventId, decision: IngestDecision.Ignored, reason: event.ignoreReason };
    }
    await services.audit.record({
      eventId: event.eventId,
      source: event.source,
      eventType: event.eventType,
      subject: event.subject?.slice(0, 1024),
      decision: outcome.decision,
      reason: outcome.reason,
      versionId: outcome.versionId,
      runId: outcome.run?.runId,
      correlationId: event.signal?.correlationId,
    });
    outcomes.push(outcome);
  }
  return outcomes;
}
