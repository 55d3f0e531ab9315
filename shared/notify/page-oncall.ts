import type { Logger } from '../logging/logger';
import { TransientActionError } from '../azure/action-errors';
import { deliverOnce, type DeliveryDeps, type DeliveryOutcome } from './deliver';
import type { NotifyConfig } from './notification-action';
import type { PageEvent } from './page-event';
import { ONCALL_CHANNELS } from './registry';

export interface PageKey {
  readonly versionKey: string;
  readonly versionId: string;
  /** The run (or release request) the page belongs to: one page per key and channel. */
  readonly runId: string;
  /** "trigger", "resolve", "stuck", ... */
  readonly kind: string;
}

/**
 * Sends the page to every configured on-call channel (PagerDuty and/or the generic webhook), each at
 * most once. All channels are tried before a transient failure is rethrown.
 */
export async function pageOnCall(
  deps: DeliveryDeps,
  config: NotifyConfig,
  key: PageKey,
  event: PageEvent,
  logger: Logger,
): Promise<DeliveryOutcome[]> {
  const outcomes: DeliveryOutcome[] = [];
  let retry: TransientActionError | undefined;
  for (const channel of ONCALL_CHANNELS) {
    const destination = channel.destination(config, event);
    if (destination === undefined) continue;
    try {
      outcomes.push(
        await deliverOnce(
          deps,
          { versionKey: key.versionKey, runId: key.runId, kind: key.kind, channel: channel.name },
          key.versionId,
          destination,
          channel.render(config, event),
          logger,
        ),
      );
    } catch (error) {
      if (!(error instanceof TransientActionError)) throw error;
      retry ??= error;
    }
  }
  if (retry !== undefined) throw retry;
  if (outcomes.length === 0) {
    logger.warn(
      'no on-call channel configured (GG_PAGERDUTY_ROUTING_KEY / GG_ONCALL_WEBHOOK_URL); page not sent',
      {
        kind: key.kind,
      },
    );
    outcomes.push({
      channel: 'oncall',
      kind: key.kind,
      destination: 'none',
      status: 'not-configured',
      attempts: 0,
    });
  }
  return outcomes;
}

export function pageDelivered(outcomes: readonly DeliveryOutcome[]): boolean {
  return outcomes.some((o) => o.status === 'delivered' || o.status === 'already-delivered');
}
