import { buildVerdictCard, teamsMessage } from '../../../shared/notify/teams-card';
import { adaptiveCardProblems } from './adaptive-card-validation';
import { failedReport, noticeFor } from './sample-verdict';

const PORTAL = 'https://portal.azure.com';

describe('buildVerdictCard', () => {
  it('builds a valid Adaptive Card 1.4 for a failed verdict', () => {
    const card = buildVerdictCard(noticeFor(failedReport), PORTAL);
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(card.version).toBe('1.4');
  });

  it('builds valid cards for passed and inconclusive verdicts, with policy warnings', () => {
    for (const verdict of ['Passed', 'Inconclusive'] as const) {
      const report = {
        ...failedReport,
        verdict,
        checks: [{ name: 'capacity', status: 'Inconclusive' as const, reason: 'SkuNotAvailable in eastus' }],
      };
      const card = buildVerdictCard(
        noticeFor(report, { warnings: ['gallery tag gallery-guard-mode="x" is not valid'] }),
        PORTAL,
      );
      expect(adaptiveCardProblems(card)).toEqual([]);
    }
  });

  it('shows image, version, verdict, action, failing checks with evidence, regions, boot time and portal links', () => {
    const text = JSON.stringify(buildVerdictCard(noticeFor(failedReport), PORTAL));
    expect(text).toContain('ubuntu-kernel-panic 1.0.0: Failed');
    expect(text).toContain('Excluded from latest');
    expect(text).toContain('Kernel panic - not syncing');
    expect(text).toContain('eastus, westeurope');
    expect(text).toContain('612 s (ggv-a1-eastus)');
    expect(text).toContain(`${PORTAL}/#resource${failedReport.versionId}/overview`);
    expect(text).not.toContain('boot-log'); // only failing checks are listed
  });

  it('clips long evidence and caps the number of listed checks', () => {
    const checks = Array.from({ length: 20 }, (_, i) => ({
      name: `check-${i}`,
      status: 'Failed' as const,
      reason: 'bad',
      evidence: 'x'.repeat(5000),
    }));
    const card = buildVerdictCard(noticeFor({ ...failedReport, checks }), PORTAL);
    const text = JSON.stringify(card);
    expect(text).not.toContain('x'.repeat(301));
    expect(text).toContain('and 12 more');
    expect(text.length).toBeLessThan(28_000); // Teams' card payload limit
  });

  it('wraps the card in the Workflows webhook message envelope', () => {
    const message = teamsMessage(buildVerdictCard(noticeFor(failedReport), PORTAL));
    expect(message).toMatchObject({
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard' } },
      ],
    });
  });
});

describe('adaptiveCardProblems', () => {
  it('reports unknown elements, bad versions and invalid values (so the checks above can fail)', () => {
    const problems = adaptiveCardProblems({
      type: 'AdaptiveCard',
      version: '2.0',
      body: [{ type: 'Bogus' }, { type: 'FactSet', facts: 'nope' }],
      actions: [{ type: 'Action.OpenUrl', title: 'x' }],
    });
    expect(problems.some((p) => p.includes('Bogus'))).toBe(true);
    expect(problems.some((p) => p.includes('version'))).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(3);
  });
});
