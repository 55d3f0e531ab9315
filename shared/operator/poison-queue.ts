import type { QueueClient } from '@azure/storage-queue';
import { ensureTable } from '../azure/ensure-table';
import { statusOf } from '../azure/rest-errors';
import { decodeRunMessage, RUN_QUEUE_NAME } from '../ledger/run-queue';
import { runIdOf, type RunKey } from '../ledger/run-key';
import { REMEDIATION_TABLE, writeReleaseRow } from '../remediation/remediation-ledger';
import type { OperatorDeps } from './operator-deps';
import { OperatorInputError } from './operator-errors';
import { summaryOf, type RunSummary } from './run-summary';

/** Where the Functions host (and the local runner) moves run messages that failed maxDequeueCount times. */
export const POISON_QUEUE_NAME = `${RUN_QUEUE_NAME}-poison`;
/** Peek and receive both return at most 32 messages per call (Queue service limit). */
const BATCH = 32;
const MAX_REDRIVE = 1000;

export interface PoisonMessage {
  readonly messageId: string;
  readonly insertedOn?: string;
  readonly dequeueCount: number;
  readonly runId?: string;
  readonly run?: RunSummary;
  /** Why the message cannot be re-driven (not a run key). */
  readonly problem?: string;
}

export interface PoisonView {
  readonly queue: string;
  readonly depth: number;
  /** The first messages (at most 32: what the queue lets one peek at). */
  readonly messages: readonly PoisonMessage[];
}

export interface RedriveRequest {
  /** Only this message; all of them when absent. */
  readonly messageId?: string;
  readonly reason: string;
  readonly requestedBy: string;
  readonly requestId: string;
}

export interface RedriveOutcome {
  readonly redriven: readonly { readonly messageId: string; readonly runId: string; readonly ref?: string }[];
  readonly skipped: readonly { readonly messageId: string; readonly problem: string }[];
  readonly reason: string;
  readonly requestedBy: string;
}

/** The run key inside a poisoned message (base64 JSON, the host's encoding), or why there is none. */
export function runKeyOfMessage(text: string): RunKey | { problem: string } {
  try {
    return decodeRunMessage(Buffer.from(text, 'base64').toString('utf8'));
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

export async function queueDepth(queue: QueueClient): Promise<number> {
  try {
    return (await queue.getProperties()).approximateMessagesCount ?? 0;
  } catch (error) {
    if (statusOf(error) === 404) return 0;
    throw error;
  }
}

async function describe(
  deps: OperatorDeps,
  text: string,
): Promise<Pick<PoisonMessage, 'runId' | 'run' | 'problem'>> {
  const key = runKeyOfMessage(text);
  if ('problem' in key) return { problem: key.problem };
  const run = await deps.ledger.getRun(key);
  return {
    runId: runIdOf(key),
    ...(run === undefined ? { problem: 'no such run row' } : { run: summaryOf(run) }),
  };
}

/** `gg poison list`: how deep the poison queue is and which runs its first messages belong to. */
export async function listPoison(deps: OperatorDeps): Promise<PoisonView> {
  const poison = deps.storage.queue(POISON_QUEUE_NAME);
  const depth = await queueDepth(poison);
  if (depth === 0) return { queue: POISON_QUEUE_NAME, depth, messages: [] };
  const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: BATCH });
  const messages: PoisonMessage[] = [];
  for (const item of peekedMessageItems) {
    messages.push({
      messageId: item.messageId,
      insertedOn: item.insertedOn.toISOString(),
      dequeueCount: item.dequeueCount,
      ...(await describe(deps, item.messageText)),
    });
  }
  return { queue: POISON_QUEUE_NAME, depth, messages };
}

/**
 * `gg poison redrive`: puts each poisoned run key (or the one asked for) back on the run queue, then
 * deletes it from the poison queue, and records who did it and why on the version. A crash between
 * the two leaves a duplicate run message, which the engine's claim makes harmless.
 */
export async function redrivePoison(deps: OperatorDeps, request: RedriveRequest): Promise<RedriveOutcome> {
  if (request.reason.trim() === '') throw new OperatorInputError('reason is required');
  const poison = deps.storage.queue(POISON_QUEUE_NAME);
  const redriven: { messageId: string; runId: string; ref?: string }[] = [];
  const skipped: { messageId: string; problem: string }[] = [];
  const seen = new Set<string>();
  if ((await queueDepth(poison)) === 0)
    return { redriven, skipped, reason: request.reason, requestedBy: request.requestedBy };
  const remediations = deps.storage.table(REMEDIATION_TABLE);
  while (seen.size < MAX_REDRIVE) {
    const { receivedMessageItems } = await poison.receiveMessages({
      numberOfMessages: BATCH,
      visibilityTimeout: 30,
    });
    const fresh = receivedMessageItems.filter((m) => !seen.has(m.messageId));
    if (fresh.length === 0) {
      for (const m of receivedMessageItems)
        await poison.updateMessage(m.messageId, m.popReceipt, undefined, 0);
      break;
    }
    for (const message of receivedMessageItems) {
      const already = seen.has(message.messageId);
      seen.add(message.messageId);
      const key = runKeyOfMessage(message.messageText);
      const wanted = request.messageId === undefined || request.messageId === message.messageId;
      if (already || !wanted || 'problem' in key) {
        // Not ours to move: make it visible again right away.
        await poison.updateMessage(message.messageId, message.popReceipt, undefined, 0);
        if (!already && wanted && 'problem' in key)
          skipped.push({ messageId: message.messageId, problem: key.problem });
        continue;
      }
      await deps.runQueue.enqueue(key);
      await poison.deleteMessage(message.messageId, message.popReceipt);
      const runId = runIdOf(key);
      const run = await deps.ledger.getRun(key);
      redriven.push({
        messageId: message.messageId,
        runId,
        ...(run === undefined ? {} : { ref: summaryOf(run).ref }),
      });
      if (run !== undefined) {
        await ensureTable(remediations);
        await writeReleaseRow(remediations, run.versionKey, {
          kind: 'redrive',
          versionId: run.versionId,
          requestedBy: request.requestedBy.slice(0, 200),
          reason: request.reason.slice(0, 1000),
          requestId: `${request.requestId}-${message.messageId}`,
          outcome: `run ${runId} put back on ${RUN_QUEUE_NAME}`,
          at: deps.clock().toISOString(),
        });
      }
      deps.logger.info('Poisoned run message re-driven', {
        runId,
        messageId: message.messageId,
        requestedBy: request.requestedBy,
        reason: request.reason,
      });
    }
    if (request.messageId !== undefined && seen.has(request.messageId)) break;
  }
  if (request.messageId !== undefined && !seen.has(request.messageId)) {
    skipped.push({ messageId: request.messageId, problem: 'no such message in the poison queue' });
  }
  return { redriven, skipped, reason: request.reason, requestedBy: request.requestedBy };
}
