import { loadConfig } from '../../../shared/config';
import { configSummary } from '../../../shared/operator/health';
import { parseSince } from '../../../shared/operator/list-runs';

const SECRETS = {
  AzureWebJobsStorage:
    'DefaultEndpointsProtocol=https;AccountName=ggstore;AccountKey=S3cr3tAccountKey==;EndpointSuffix=core.windows.net',
  GG_TEAMS_DEFAULT_WEBHOOK_URL: 'https://prod.example/workflows/default?sig=TeamsSig123',
  GG_TEAMS_WEBHOOKS: '{"linux":"https://prod.example/workflows/linux?sig=LinuxSig456"}',
  GG_PAGERDUTY_ROUTING_KEY: 'R0utingKey789',
  GG_ONCALL_WEBHOOK_URL: 'https://oncall.example/hook?token=OncallTok',
};

describe('health configuration summary', () => {
  const config = loadConfig({
    ...SECRETS,
    GG_GALLERY_SCOPES:
      '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1',
    GG_VALIDATION_SUBSCRIPTION_ID: '00000000-0000-0000-0000-000000000002',
  });

  it('says which secrets are set without a trace of their values', () => {
    const summary = configSummary(config);
    const text = JSON.stringify(summary);
    for (const secret of [
      'S3cr3tAccountKey',
      'TeamsSig123',
      'LinuxSig456',
      'R0utingKey789',
      'OncallTok',
      'prod.example',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(summary.notifications).toEqual({
      teamsDefaultChannel: true,
      teamsChannels: ['linux'],
      pagerduty: true,
      pagerdutySeverity: 'error',
      oncallWebhook: true,
    });
    expect(summary.storage).toBe('connection string (AzureWebJobsStorage)');
    expect(summary.validation).toMatchObject({
      enabled: true,
      subscriptionId: '00000000-0000-0000-0000-000000000002',
    });
  });
});

describe('since', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');
  it.each([
    ['30m', '2026-12-01T11:30:00.000Z'],
    ['24h', '2026-11-30T12:00:00.000Z'],
    ['7d', '2026-11-24T12:00:00.000Z'],
    ['2026-11-01T00:00:00Z', '2026-11-01T00:00:00.000Z'],
  ])('%s means from %s', (text, iso) => {
    expect(parseSince(text, now)?.toISOString()).toBe(iso);
  });

  it('refuses anything else', () => {
    expect(() => parseSince('yesterday', now)).toThrow(/ISO time or a duration such as 30m, 24h, 7d/);
  });
});
