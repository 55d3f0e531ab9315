import { buildDigestCard } from '../../../shared/audit/digest-card';
import type { RecordedFinding } from '../../../shared/audit/finding-ledger';
import { isoWeek } from '../../../shared/audit/send-digests';
import { adaptiveCardProblems } from '../notify/adaptive-card-validation';

const finding = (i: number, severity: RecordedFinding['severity']): RecordedFinding => ({
  rule: 'latest-not-passed',
  severity,
  state: 'Open',
  galleryId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
  resourceId: `/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/img/versions/1.0.${i}`,
  detail: '',
  reason: `img 1.0.${i} is latest in eastus and was never validated`,
  evidence: { latestIn: ['eastus'] },
  fix: 'az sig image-version update ... --set publishingProfile.excludeFromLatest=true',
  owner: 'team@example.com',
  firstSeenAt: '2025-01-0' + String((i % 9) + 1) + 'T00:00:00.000Z',
  lastSeenAt: '2025-01-10T00:00:00.000Z',
  resolvedAt: '',
  timesSeen: 1,
  lastAuditId: 'a',
});

describe('digest card', () => {
  it('is a valid Adaptive Card listing the most severe findings first', () => {
    const card = buildDigestCard('team@example.com', [finding(1, 'low'), finding(2, 'high')], '2025-W02');
    expect(adaptiveCardProblems(card)).toEqual([]);
    const text = JSON.stringify(card.body);
    expect(text.indexOf('1.0.2')).toBeLessThan(text.indexOf('1.0.1'));
    expect(text).toContain('2 open findings');
  });

  it('stays valid and says how many were left out when there are many', () => {
    const card = buildDigestCard(
      undefined,
      Array.from({ length: 40 }, (_, i) => finding(i, 'medium')),
      '2025-W02',
    );
    expect(adaptiveCardProblems(card)).toEqual([]);
    expect(JSON.stringify(card.body)).toContain('…and 15 more');
  });

  it('names ISO weeks (Monday-based, week 1 holds the first Thursday)', () => {
    expect(isoWeek(new Date('2025-01-01T12:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01');
    expect(isoWeek(new Date('2021-01-03T00:00:00Z'))).toBe('2020-W53');
  });
});
