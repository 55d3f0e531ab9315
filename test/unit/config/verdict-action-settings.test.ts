import { ConfigError, loadConfig } from '../../../shared/config';

const GALLERY =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1';
const BASE = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', GG_GALLERY_SCOPES: GALLERY };

describe('verdict action settings', () => {
  it('default to quarantine, no grace, the public PagerDuty endpoint and the Azure portal', () => {
    const config = loadConfig(BASE);
    expect(config.remediation).toEqual({
      defaultMode: 'quarantine',
      eolGraceDays: 0,
      maxAttempts: 5,
      rollout: {
        strategy: 'all-at-once',
        order: [],
        soakMinutes: 0,
        onFailure: 'roll-back',
        protectPrevious: false,
      },
    });
    expect(config.notify).toMatchObject({
      teamsWebhooks: {},
      pagerdutyEventsUrl: 'https://events.pagerduty.com/v2/enqueue',
      pagerdutySeverity: 'error',
      portalUrl: 'https://portal.azure.com',
    });
  });

  it('read a mode, the named Teams webhooks and on-call settings', () => {
    const config = loadConfig({
      ...BASE,
      GG_DEFAULT_MODE: 'Gate',
      GG_TEAMS_WEBHOOKS: '{"linux":"https://prod.example/workflows/1"}',
      GG_ONCALL_WEBHOOK_URL: 'https://oncall.example/hook',
    });
    expect(config.remediation.defaultMode).toBe('gate');
    expect(config.notify.teamsWebhooks).toEqual({ linux: 'https://prod.example/workflows/1' });
    expect(config.notify.oncallWebhookUrl).toBe('https://oncall.example/hook');
  });

  it('name the bad setting without echoing a secret value', () => {
    const secret = '{"linux": "not a url sig=SECRET"';
    const attempt = () => loadConfig({ ...BASE, GG_TEAMS_WEBHOOKS: secret });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/GG_TEAMS_WEBHOOKS/);
    expect(attempt).not.toThrow(/SECRET/);
    expect(() => loadConfig({ ...BASE, GG_TEAMS_WEBHOOKS: '{"linux":"ftp://x"}' })).toThrow(
      /"linux" is not an http/,
    );
    expect(() => loadConfig({ ...BASE, GG_DEFAULT_MODE: 'delete' })).toThrow(/GG_DEFAULT_MODE/);
    expect(() => loadConfig({ ...BASE, GG_EOL_GRACE_DAYS: '-1' })).toThrow(/GG_EOL_GRACE_DAYS/);
  });
});
