import type { NotificationAction } from '../notification-action';
import type { PageEvent } from '../page-event';

/** Generic on-call webhook: the same page as plain JSON, for tools other than PagerDuty. */
export const webhook: NotificationAction<PageEvent> = {
  name: 'webhook',
  description: 'Generic JSON POST of the page (trigger/resolve) to GG_ONCALL_WEBHOOK_URL.',
  settings: ['GG_ONCALL_WEBHOOK_URL'],
  destination: (config) =>
    config.oncallWebhookUrl === undefined ? undefined : { name: 'webhook', url: config.oncallWebhookUrl },
  render: (_config, event) => ({
    source: 'gallery-guard',
    action: event.action,
    dedupKey: event.dedupKey,
    severity: event.severity,
    class: event.eventClass,
    summary: event.summary,
    resource: event.source,
    timestamp: event.timestamp,
    details: event.details,
    links: event.links,
  }),
};
