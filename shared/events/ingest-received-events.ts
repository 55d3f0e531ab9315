import type { AuditEntry } from '../ledger/audit-log';
import { forEachLimited } from '../runtime/bounded-concurrency';
import type { VersionLookup } from '../azure/version-instance';
import { IngestDecision, type IngestOutcome } from './ingest-decision';
import { ingestVersionSignal } from './ingest-version-signal';
import type { ReceivedEvent } from './version-signal';

import type { ReceivedEventServices } from './ingest-services';

export type { ReceivedEventServices } from './ingest-services';

/** Versions of one request ingested at once (each a few Table and one ARM round trip). */
export const INGEST_CONCURRENCY = 8;

/**
 * Webhook deliveries: each event either becomes a version signal (ingestVersionSignal) or is ignored
 * (or rejected) with a reason; either way it gets an outcome and an audit row. Built to answer
 * Event Grid's largest batch (5,000 events) well within its 30 s:
 * - events about the same version are decided in order, different versions INGEST_CONCURRENCY at
 *   a time; ARM is read at most once per version per request;
 * - a repeat of a (kind, source) already decided in the request shares that decision, no I/O;
 * - audit rows go in batches (AuditLog.recordAll).
 * Storage errors propagate, so the webhook answers 5xx and the sender redelivers (ingest is idempotent).
 */
export async function ingestReceivedEvents(
  services: ReceivedEventServices,
  events: readonly ReceivedEvent[],
): Promise<IngestOutcome[]> {
  const outcomes: IngestOutcome[] = new Array<IngestOutcome>(events.length);
  const byVersion = new Map<string, number[]>();
  events.forEach((event, index) => {
    if (event.signal === undefined) {
      outcomes[index] = notActedOn(services, event);
      return;
    }
    const indexes = byVersion.get(event.signal.version.key) ?? [];
    indexes.push(index);
    byVersion.set(event.signal.version.key, indexes);
  });
  await forEachLimited([...byVersion.values()], INGEST_CONCURRENCY, async (indexes) => {
    const lookupVersion = onceLookup(services.lookupVersion);
    const decided = new Map<string, IngestOutcome>();
    for (const index of indexes) {
      const signal = events[index]!.signal!;
      const repeat = decided.get(`${signal.kind}|${signal.source}`);
      if (repeat !== undefined) {
        const decision =
          repeat.decision === IngestDecision.RunCreated ? IngestDecision.Duplicate : repeat.decision;
        services.logger.debug('Repeat within the request', { eventId: signal.eventId, decision });
        outcomes[index] = { ...repeat, eventId: signal.eventId, decision };
        continue;
      }
      const outcome = await ingestVersionSignal({ ...services, lookupVersion }, signal);
      decided.set(`${signal.kind}|${signal.source}`, outcome);
      outcomes[index] = outcome;
    }
  });
  await services.audit.recordAll(events.map((event, index) => auditEntry(event, outcomes[index]!)));
  return outcomes;
}

/** ARM's answer for one version, read once per request however many events name it. */
function onceLookup(lookup: VersionLookup): VersionLookup {
  let answer: ReturnType<VersionLookup> | undefined;
  return (version) => (answer ??= lookup(version));
}

function notActedOn(services: ReceivedEventServices, event: ReceivedEvent): IngestOutcome {
  const rejected = event.rejected === true;
  const decision = rejected ? IngestDecision.Rejected : IngestDecision.Ignored;
  const fields = {
    eventId: event.eventId,
    source: event.source,
    eventType: event.eventType,
    decision,
    reason: event.ignoreReason,
  };
  if (rejected) services.logger.warn('Rejected event', fields);
  else services.logger.info('Ignored event', fields);
  return { eventId: event.eventId, decision, reason: event.ignoreReason };
}

function auditEntry(event: ReceivedEvent, outcome: IngestOutcome): AuditEntry {
  return {
    eventId: event.eventId,
    source: event.source,
    eventType: event.eventType,
    subject: event.subject?.slice(0, 1024),
    decision: outcome.decision,
    reason: outcome.reason,
    versionId: outcome.versionId,
    runId: outcome.run?.runId,
    correlationId: event.signal?.correlationId,
  };
}
