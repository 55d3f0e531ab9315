import { imageDefinitionId } from '../arm/resource-id';
import type { CheckResult } from '../verdict/verdict';
import { portalLink, type VerdictNotice } from './verdict-notice';
import { excerpt } from '../verdict/excerpt';
import { whatChangedSection } from './what-changed-card';

/** Adaptive Card 1.4 (the version Teams Workflows render everywhere) for one verdict on one version. */
export type AdaptiveCard = Readonly<Record<string, unknown>> & {
  readonly type: 'AdaptiveCard';
  readonly version: string;
};

/** A full-width Adaptive Card 1.4 with `body` (and `actions`), the one envelope every Teams card uses. */
export function adaptiveCard(body: readonly unknown[], actions?: readonly unknown[]): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    msteams: { width: 'Full' },
    body,
    ...(actions === undefined ? {} : { actions }),
  };
}

const MAX_CHECKS = 8;
const MAX_EVIDENCE = 300;

const STYLE = {
  Passed: { icon: '✅', color: 'Good' },
  Failed: { icon: '❌', color: 'Attention' },
  Inconclusive: { icon: '⚠️', color: 'Warning' },
} as const;

const clip = excerpt;

function bootTime(bootSeconds: Readonly<Record<string, number>>): string {
  const entries = Object.entries(bootSeconds);
  if (entries.length === 0) return 'n/a';
  return entries
    .slice(0, 6)
    .map(([vm, seconds]) => `${Math.round(seconds)} s (${vm})`)
    .join(', ');
}

function checkBlock(check: CheckResult): Record<string, unknown> {
  const where = [check.region, check.vmName].filter((w) => w !== undefined).join(', ');
  const items: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      wrap: true,
      text: `**${check.name}** ${where === '' ? '' : `(${where}) `}— ${clip(check.reason, 300)}`,
    },
  ];
  if (check.evidence !== undefined && check.evidence.trim() !== '') {
    items.push({
      type: 'TextBlock',
      wrap: true,
      isSubtle: true,
      fontType: 'Monospace',
      spacing: 'None',
      text: clip(check.evidence.trim(), MAX_EVIDENCE),
    });
  }
  return { type: 'Container', spacing: 'Small', items };
}

export function buildVerdictCard(notice: VerdictNotice, portalUrl: string): AdaptiveCard {
  const { report, ref } = notice;
  const style = STYLE[report.verdict];
  const notable = report.checks.filter((c) =>
    report.verdict === 'Passed'
      ? false
      : c.status === (report.verdict === 'Failed' ? 'Failed' : 'Inconclusive'),
  );
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      size: 'Large',
      weight: 'Bolder',
      wrap: true,
      color: style.color,
      text: `${style.icon} ${ref.image} ${ref.version}: ${report.verdict}`,
    },
    {
      type: 'TextBlock',
      isSubtle: true,
      spacing: 'None',
      wrap: true,
      text: `Gallery ${ref.gallery} · ${ref.resourceGroup}`,
    },
    {
      type: 'FactSet',
      facts: [
        { title: 'Image', value: ref.image },
        { title: 'Version', value: ref.version },
        { title: 'Verdict', value: report.verdict },
        { title: 'Action taken', value: notice.actionTaken },
        { title: 'Mode', value: notice.mode },
        { title: 'Regions', value: report.regions.length > 0 ? report.regions.join(', ') : 'none tested' },
        { title: 'Boot time', value: bootTime(report.bootSeconds) },
        { title: 'Owner', value: notice.owner ?? 'unknown (no owner tag)' },
        { title: 'Run', value: report.runId },
      ],
    },
  ];
  if (notice.rollout !== undefined && notice.rollout.length > 0) {
    body.push({ type: 'TextBlock', weight: 'Bolder', separator: true, text: 'Regional rollout' });
    body.push({
      type: 'FactSet',
      facts: notice.rollout.map((r) => ({
        title: r.name,
        value: `${r.state} · validation ${r.verdict ?? 'not tested'}`,
      })),
    });
  }
  if (notable.length > 0) {
    body.push({
      type: 'TextBlock',
      weight: 'Bolder',
      separator: true,
      text: report.verdict === 'Failed' ? 'Failing checks' : 'Checks that could not decide',
    });
    body.push(...notable.slice(0, MAX_CHECKS).map(checkBlock));
    if (notable.length > MAX_CHECKS) {
      body.push({ type: 'TextBlock', isSubtle: true, text: `…and ${notable.length - MAX_CHECKS} more` });
    }
  }
  body.push(...whatChangedSection(report.changes));
  for (const warning of notice.warnings) {
    body.push({ type: 'TextBlock', color: 'Warning', wrap: true, text: `Policy: ${warning}` });
  }
  return adaptiveCard(body, [
    {
      type: 'Action.OpenUrl',
      title: 'Open version in the portal',
      url: portalLink(portalUrl, report.versionId),
    },
    {
      type: 'Action.OpenUrl',
      title: 'Open image definition',
      url: portalLink(portalUrl, imageDefinitionId(ref)),
    },
  ]);
}

/** The envelope a Teams Workflows "post to a channel when a webhook request is received" flow expects. */
export function teamsMessage(card: AdaptiveCard): Record<string, unknown> {
  return {
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card },
    ],
  };
}
