import { buildVerdictCard } from '../../../shared/notify/teams-card';
import { whatChangedSection } from '../../../shared/notify/what-changed-card';
import { adaptiveCardProblems } from './adaptive-card-validation';
import { failedReport, noticeFor } from './sample-verdict';

const changes = {
  regions: [
    {
      region: 'eastus',
      baselineVersion: '1.0.0',
      packages: {
        added: 12,
        removed: 1,
        changed: 3,
        top: ['+nginx 1.18.0-6ubuntu14.4', '-cron 3.0pl1-137ubuntu3'],
      },
      services: { enabled: ['nginx'], disabled: ['cron'] },
      ports: { opened: ['tcp/80'], closed: [] },
      boot: { before: 12.4, after: 30, deltaPercent: 141.9, source: 'cloud-init' },
    },
    { region: 'westeurope', noBaseline: 'no other version resolves as latest in westeurope' },
  ],
  warnings: [
    'eastus: warning (warn-only rule): new listening ports against baseline 1.0.0 (latest in eastus): tcp/80',
  ],
};

describe("the card's What changed section", () => {
  it('is absent when no diff was made', () => {
    expect(whatChangedSection(undefined)).toEqual([]);
    expect(whatChangedSection({ regions: [], warnings: [] })).toEqual([]);
  });

  it('shows one line per region with exact counts and the top items, then the warnings, in a valid card', () => {
    const card = buildVerdictCard(noticeFor({ ...failedReport, changes }), 'https://portal.azure.com');
    expect(adaptiveCardProblems(card)).toEqual([]);
    const texts = (card.body as { text?: string }[]).map((b) => b.text);
    const at = texts.indexOf('What changed');
    expect(texts.slice(at, at + 4)).toEqual([
      'What changed',
      'eastus vs 1.0.0: packages +12 -1 ~3 (+nginx 1.18.0-6ubuntu14.4, -cron 3.0pl1-137ubuntu3); services +nginx -cron; ports +tcp/80; boot 12.4 s → 30 s (+141.9%)',
      'westeurope: no baseline (no other version resolves as latest in westeurope)',
      '⚠️ eastus: warning (warn-only rule): new listening ports against baseline 1.0.0 (latest in eastus): tcp/80',
    ]);
  });
});
