import type { Logger } from '../logging/logger';
import { Verdict } from '../verdict/verdict';
import type { DeliveryDeps, DeliveryOutcome } from './deliver';
import type { NotifyConfig } from './notification-action';
import { pageDelivered } from './page-oncall';
import { pageVersion, resolveVersionPage } from './page-version';
import { sendVerdictCard } from './send-verdict-card';
import type { VerdictNotice } from './verdict-notice';
import type { VersionAlarm } from './version-page-events';

/** What on-call hears about a verdict: a page, the incident resolved, or nothing. */
export type VerdictPage =
  | { readonly kind: 'trigger'; readonly alarm: VersionAlarm }
  | { readonly kind: 'resolve' }
  | { readonly kind: 'none' };

export interface VerdictNotification {
  readonly notice: VerdictNotice;
  /** The teamsWebhook tag's entry (never a URL); Inconclusive goes to the operators' channel anyway. */
  readonly teamsWebhook?: string;
  readonly page: VerdictPage;
}

export interface VerdictNotified {
  readonly notifications: readonly DeliveryOutcome[];
  /** The trigger or resolve reached at least one on-call channel. */
  readonly pageDelivered: boolean;
}

/** One card per (version, run, verdict), then the page or resolve, each at most once. */
export async function notifyVerdict(
  deps: DeliveryDeps,
  config: NotifyConfig,
  { notice, teamsWebhook, page }: VerdictNotification,
  logger: Logger,
): Promise<VerdictNotified> {
  const { report, ref } = notice;
  const audience =
    report.verdict === Verdict.Inconclusive
      ? ({ kind: 'operators' } as const)
      : ({ kind: 'owner', webhookName: teamsWebhook } as const);
  const card = await sendVerdictCard(deps, config, { notice, audience }, logger);
  const paged =
    page.kind === 'trigger'
      ? await pageVersion(deps, config, notice, page.alarm, logger)
      : page.kind === 'resolve'
        ? await resolveVersionPage(
            deps,
            config,
            { versionKey: ref.key, versionId: report.versionId, requestId: report.runId },
            logger,
          )
        : [];
  return { notifications: [card, ...paged], pageDelivered: pageDelivered(paged) };
}
