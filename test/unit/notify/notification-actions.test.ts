import type { NotifyConfig } from '../../../shared/notify/notification-action';
import { dedupKeyFor, type PageEvent } from '../../../shared/notify/page-event';
import { notificationActions } from '../../../shared/notify/registry';
import { failedReport, noticeFor } from './sample-verdict';

const CONFIG: NotifyConfig = {
  teamsDefaultWebhookUrl: 'https://teams.example/default',
  teamsWebhooks: { linux: 'https://teams.example/linux' },
  pagerdutyRoutingKey: 'rk',
  pagerdutyEventsUrl: 'https://events.pagerduty.com/v2/enqueue',
  pagerdutySeverity: 'error',
  oncallWebhookUrl: undefined,
  portalUrl: 'https://portal.azure.com',
  retryBaseMs: 1,
  timeoutMs: 15_000,
};

const EVENT: PageEvent = {
  action: 'trigger',
  dedupKey: 'k',
  summary: 's',
  severity: 'critical',
  source: failedReport.versionId,
  component: 'ubuntu-kernel-panic',
  group: 'gg_demo_gallery',
  eventClass: 'version-failed',
  timestamp: '2026-11-27T10:00:00.000Z',
  details: { runId: 'r' },
  links: [{ href: 'https://portal.azure.com/x', text: 'portal' }],
};

describe('notification actions', () => {
  it('registers teams, pagerduty and webhook with the settings they read', () => {
    expect(Object.keys(notificationActions).sort()).toEqual(['pagerduty', 'teams', 'webhook']);
    for (const action of Object.values(notificationActions))
      expect(action.settings.length).toBeGreaterThan(0);
  });

  it('picks the owner channel by tag name, else the default (with a warning for an unknown name)', () => {
    const { teams } = notificationActions;
    const notice = noticeFor(failedReport);
    expect(teams.destination(CONFIG, { notice, audience: { kind: 'owner', webhookName: 'linux' } })).toEqual({
      name: 'teams:linux',
      url: 'https://teams.example/linux',
    });
    expect(
      teams.destination(CONFIG, { notice, audience: { kind: 'owner', webhookName: 'nope' } }),
    ).toMatchObject({
      name: 'teams:default',
      warning: expect.stringContaining('"nope"') as unknown,
    });
    expect(teams.destination(CONFIG, { notice, audience: { kind: 'operators' } })?.name).toBe(
      'teams:default',
    );
    expect(
      teams.destination(
        { ...CONFIG, teamsDefaultWebhookUrl: undefined },
        { notice, audience: { kind: 'operators' } },
      ),
    ).toBeUndefined();
  });

  it('renders PagerDuty Events v2 trigger and resolve bodies', () => {
    const { pagerduty } = notificationActions;
    expect(pagerduty.render(CONFIG, EVENT)).toEqual({
      routing_key: 'rk',
      event_action: 'trigger',
      dedup_key: 'k',
      payload: {
        summary: 's',
        source: failedReport.versionId,
        severity: 'critical',
        timestamp: '2026-11-27T10:00:00.000Z',
        component: 'ubuntu-kernel-panic',
        group: 'gg_demo_gallery',
        class: 'version-failed',
        custom_details: { runId: 'r' },
      },
      links: [{ href: 'https://portal.azure.com/x', text: 'portal' }],
    });
    expect(pagerduty.render(CONFIG, { ...EVENT, action: 'resolve' })).toEqual({
      routing_key: 'rk',
      event_action: 'resolve',
      dedup_key: 'k',
    });
  });

  it('sends pages only to configured on-call channels', () => {
    expect(notificationActions.webhook.destination(CONFIG, EVENT)).toBeUndefined();
    expect(
      notificationActions.pagerduty.destination({ ...CONFIG, pagerdutyRoutingKey: undefined }, EVENT),
    ).toBeUndefined();
    expect(
      notificationActions.webhook.destination({ ...CONFIG, oncallWebhookUrl: 'https://hook' }, EVENT)?.name,
    ).toBe('webhook');
  });

  it('keeps dedup keys within PagerDuty’s 255 characters', () => {
    expect(dedupKeyFor('short')).toBe('short');
    const long = dedupKeyFor('x'.repeat(300));
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long).toBe(dedupKeyFor('x'.repeat(300)));
  });
});
