import type { Destination } from '../deliver';
import type { NotificationAction, NotifyConfig } from '../notification-action';
import { buildVerdictCard, teamsMessage } from '../teams-card';
import type { VerdictNotice } from '../verdict-notice';

export interface TeamsMessage {
  readonly notice: VerdictNotice;
  /** Owner: the teamsWebhook tag's entry, else the default. Operators: always the default channel. */
  readonly audience:
    { readonly kind: 'owner'; readonly webhookName?: string } | { readonly kind: 'operators' };
}

export type TeamsAudience = TeamsMessage['audience'];

/** The channel for an audience: the teamsWebhook tag's GG_TEAMS_WEBHOOKS entry, else the default. */
export function teamsDestination(
  config: NotifyConfig,
  audience: TeamsAudience,
): (Destination & { readonly warning?: string }) | undefined {
  const fallback =
    config.teamsDefaultWebhookUrl === undefined
      ? undefined
      : { name: 'teams:default', url: config.teamsDefaultWebhookUrl };
  if (audience.kind === 'operators' || audience.webhookName === undefined) return fallback;
  const url = config.teamsWebhooks[audience.webhookName];
  if (url !== undefined) return { name: `teams:${audience.webhookName}`, url };
  const warning = `teamsWebhook "${audience.webhookName.slice(0, 40)}" is not in GG_TEAMS_WEBHOOKS; sent to the default channel`;
  return fallback === undefined ? undefined : { ...fallback, warning };
}

/** Adaptive Card to a Teams Workflows webhook, chosen by the definition's/gallery's teamsWebhook tag. */
export const teams: NotificationAction<TeamsMessage> = {
  name: 'teams',
  description:
    'Adaptive Card to the owner channel (teamsWebhook tag → GG_TEAMS_WEBHOOKS) or the default channel.',
  settings: ['GG_TEAMS_WEBHOOKS', 'GG_TEAMS_DEFAULT_WEBHOOK_URL', 'GG_PORTAL_URL'],
  destination: (config, { audience }) => teamsDestination(config, audience),
  render: (config, { notice }) => teamsMessage(buildVerdictCard(notice, config.portalUrl)),
};
