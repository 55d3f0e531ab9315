import { resolveRemediationPolicy } from '../../../shared/policy/remediation-policy';

const DEFAULTS = { defaultMode: 'quarantine', defaultSeverity: 'error' } as const;

describe('resolveRemediationPolicy', () => {
  it('takes the mode from the definition, then the gallery, then configuration', () => {
    expect(
      resolveRemediationPolicy(
        { 'gallery-guard-mode': 'gate' },
        { 'gallery-guard-mode': 'report-only' },
        DEFAULTS,
      ),
    ).toMatchObject({ mode: 'gate', modeSource: 'definition' });
    expect(resolveRemediationPolicy({}, { 'Gallery-Guard-Mode': 'Report-Only' }, DEFAULTS)).toMatchObject({
      mode: 'report-only',
      modeSource: 'gallery',
    });
    expect(resolveRemediationPolicy(undefined, undefined, DEFAULTS)).toMatchObject({
      mode: 'quarantine',
      modeSource: 'config',
      warnings: [],
    });
  });

  it('falls back to report-only (never wider) on a tag value it does not understand, and says why', () => {
    const policy = resolveRemediationPolicy(
      { 'gallery-guard-mode': 'nuke' },
      { 'gallery-guard-mode': 'quarantine' },
      DEFAULTS,
    );
    expect(policy.mode).toBe('report-only');
    expect(policy.modeSource).toBe('invalid-tag');
    expect(policy.warnings[0]).toMatch(/gallery-guard-mode="nuke"/);
  });

  it('reads owner, Teams webhook name and page severity from tags', () => {
    const policy = resolveRemediationPolicy(
      { owner: 'team-linux', 'gallery-guard-severity': 'critical' },
      { teamsWebhook: 'platform', owner: 'someone-else' },
      DEFAULTS,
    );
    expect(policy).toMatchObject({ owner: 'team-linux', teamsWebhook: 'platform', severity: 'critical' });
    expect(resolveRemediationPolicy({ 'gg-owner': 'alias' }, {}, DEFAULTS).owner).toBe('alias');
  });
});
