import { pagerduty } from './actions/pagerduty';
import { teams } from './actions/teams';
import { webhook } from './actions/webhook';

/** Notification channels by name. Cards go to `teams`; pages go to every configured on-call channel. */
export const notificationActions = { teams, pagerduty, webhook } as const;

export const ONCALL_CHANNELS = [pagerduty, webhook] as const;
