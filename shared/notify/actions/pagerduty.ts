import type { NotificationAction } from '../notification-action';
import type { PageEvent } from '../page-event';

/** PagerDuty Events API v2: one incident per version (dedup_key), resolved when it is fine again. */
export const pagerduty: NotificationAction<PageEvent> = {
  name: 'pagerduty',
  description: 'PagerDuty Events API v2 trigger/resolve with dedup_key = version id.',
  settings: ['GG_PAGERDUTY_ROUTING_KEY', 'GG_PAGERDUTY_EVENTS_URL', 'GG_PAGERDUTY_SEVERITY'],
  destination: (config) =>
    config.pagerdutyRoutingKey === undefined
      ? undefined
      : { name: 'pagerduty', url: config.pagerdutyEventsUrl },
  render: (config, event) => {
    const base = {
      routing_key: config.pagerdutyRoutingKey,
      event_action: event.action,
      dedup_key: event.dedupKey,
    };
    if (event.action === 'resolve') return base;
    return {
      ...base,
      payload: {
        summary: event.summary.slice(0, 1024),
        source: event.source,
        severity: event.severity,
        timestamp: event.timestamp,
        component: event.component,
        group: event.group,
        class: event.eventClass,
        custom_details: event.details,
      },
      links: event.links,
    };
  },
};
