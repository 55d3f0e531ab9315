import { ensureTable } from '../azure/ensure-table';
import type { Logger } from '../logging/logger';
import { deliverOnce, type DeliveryDeps, type DeliveryOutcome } from '../notify/deliver';
import type { NotifyConfig } from '../notify/notification-action';
import { teamsDestination } from '../notify/actions/teams';
import { teamsMessage } from '../notify/teams-card';
import { buildDigestCard } from './digest-card';
import { FindingState, type FindingLedger, type RecordedFinding } from './finding-ledger';

/** ISO 8601 week of `date` (e.g. 2025-W07): the digest is sent at most once per owner per week. */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

export interface DigestOutcome {
  readonly owner: string;
  readonly findings: number;
  readonly delivery: DeliveryOutcome['status'];
  readonly destination: string;
}

/**
 * The weekly digest: one card per owner listing their open findings, to the owner's Teams channel
 * (teamsWebhook tag of the finding, else the default channel). Findings without an owner go to the
 * default channel as their own card. Owners with nothing open get no card; nothing open, nothing sent.
 * Each (owner, week) is delivered once (the notifications table's claim), so a re-run is harmless.
 */
export async function sendAuditDigests(
  deps: {
    readonly findings: FindingLedger;
    readonly delivery: DeliveryDeps;
    readonly notify: NotifyConfig;
    readonly clock: () => Date;
  },
  logger: Logger,
): Promise<DigestOutcome[]> {
  const open = await deps.findings.list({ state: FindingState.Open });
  if (open.length > 0) await ensureTable(deps.delivery.table);
  const byOwner = new Map<string, RecordedFinding[]>();
  for (const finding of open) {
    const key = finding.owner ?? '';
    byOwner.set(key, [...(byOwner.get(key) ?? []), finding]);
  }
  const week = isoWeek(deps.clock());
  const outcomes: DigestOutcome[] = [];
  for (const [owner, findings] of [...byOwner.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const webhookName =
      owner === '' ? undefined : findings.find((f) => f.teamsWebhook !== undefined)?.teamsWebhook;
    const destination = teamsDestination(
      deps.notify,
      owner === '' ? { kind: 'operators' } : { kind: 'owner', webhookName },
    );
    const label = owner === '' ? '(no owner)' : owner;
    if (destination === undefined) {
      logger.warn('no Teams webhook for the audit digest; not sent', {
        owner: label,
        findings: findings.length,
      });
      outcomes.push({
        owner: label,
        findings: findings.length,
        delivery: 'not-configured',
        destination: 'none',
      });
      continue;
    }
    const card = buildDigestCard(owner === '' ? undefined : owner, findings, week);
    const outcome = await deliverOnce(
      deps.delivery,
      {
        versionKey: `audit-digest|${label.toLowerCase()}`,
        runId: week,
        kind: 'audit-digest',
        channel: 'teams',
      },
      `audit-digest:${label}`,
      { name: destination.name, url: destination.url },
      teamsMessage(card),
      logger,
    );
    outcomes.push({
      owner: label,
      findings: findings.length,
      delivery: outcome.status,
      destination: destination.name,
    });
  }
  logger.info('audit digests done', { owners: outcomes.length, week });
  return outcomes;
}
