import { adaptiveCard, type AdaptiveCard } from '../notify/teams-card';
import { SEVERITY_ORDER, type Severity } from './finding';
import type { RecordedFinding } from './finding-ledger';

const MAX_ITEMS = 25;
const ICON: Record<Severity, string> = { high: '🔴', medium: '🟠', low: '🟡' };
const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;
const shortName = (resourceId: string): string => {
  const parts = resourceId.split('/');
  const at = parts.findIndex((p) => p.toLowerCase() === 'galleries');
  return at < 0
    ? resourceId
    : parts
        .slice(at + 1)
        .filter((_, i) => i % 2 === 0)
        .join(' / ');
};

/**
 * One Adaptive Card 1.4 listing an owner's open findings, most severe first: severity counts, then
 * each finding with its reason, the resource, when it was first seen and the suggested fix.
 */
export function buildDigestCard(
  owner: string | undefined,
  findings: readonly RecordedFinding[],
  week: string,
): AdaptiveCard {
  const sorted = [...findings].sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      a.firstSeenAt.localeCompare(b.firstSeenAt),
  );
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      size: 'Large',
      weight: 'Bolder',
      wrap: true,
      text: `Gallery governance: ${findings.length} open finding${findings.length === 1 ? '' : 's'}`,
    },
    {
      type: 'TextBlock',
      isSubtle: true,
      spacing: 'None',
      wrap: true,
      text: `${owner ?? 'No owner tag'} · week ${week}`,
    },
    {
      type: 'FactSet',
      facts: SEVERITY_ORDER.map((s) => ({
        title: `${ICON[s]} ${s}`,
        value: String(findings.filter((f) => f.severity === s).length),
      })),
    },
  ];
  for (const finding of sorted.slice(0, MAX_ITEMS)) {
    body.push({
      type: 'Container',
      separator: true,
      spacing: 'Small',
      items: [
        {
          type: 'TextBlock',
          wrap: true,
          text: `${ICON[finding.severity]} **${finding.rule}** — ${clip(finding.reason, 300)}`,
        },
        {
          type: 'TextBlock',
          wrap: true,
          isSubtle: true,
          spacing: 'None',
          text: `${shortName(finding.resourceId)} · first seen ${finding.firstSeenAt.slice(0, 10)}`,
        },
        {
          type: 'TextBlock',
          wrap: true,
          fontType: 'Monospace',
          spacing: 'None',
          text: clip(finding.fix, 400),
        },
      ],
    });
  }
  if (sorted.length > MAX_ITEMS) {
    body.push({
      type: 'TextBlock',
      isSubtle: true,
      text: `…and ${sorted.length - MAX_ITEMS} more (GET /api/audit/findings)`,
    });
  }
  return adaptiveCard(body);
}
