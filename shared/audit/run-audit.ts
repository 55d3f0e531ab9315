import type { ComputeManagementClient } from '@azure/arm-compute';
import type { GalleryRef } from '../arm/resource-id';
import type { Config } from '../config';
import type { RunLedger } from '../ledger/run-ledger';
import { toError, type Logger } from '../logging/logger';
import type { Clock } from '../runtime/clock';
import { buildAuditContext } from './audit-context';
import { RuleId, SEVERITY_ORDER, type Finding, type Severity } from './finding';
import { findingRowKey, type FindingLedger } from './finding-ledger';
import { readGalleryInventory } from './gallery-inventory';
import { evaluateRules } from './rules';

/** What the audit needs, built by the composition root (shared/app/services.ts). */
export interface GalleryAuditDeps {
  readonly config: Pick<Config, 'audit' | 'ingest' | 'notify'>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Compute client of a gallery's subscription (behind the one ARM call limiter). */
  readonly compute: (subscriptionId: string) => ComputeManagementClient;
  readonly ledger: RunLedger;
  readonly findings: FindingLedger;
  /** The latest-not-passed action: queue a re-validation run (the operator endpoint's code path). */
  readonly revalidate: (versionId: string, requestId: string) => Promise<{ status: string; reason: string }>;
}

export interface GalleryAuditResult {
  readonly galleryId: string;
  readonly status: 'audited' | 'failed';
  readonly error?: string;
  readonly definitions: number;
  readonly versions: number;
  readonly findings: number;
  readonly opened: number;
  readonly resolved: number;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly byRule: Readonly<Record<string, number>>;
  readonly actions: readonly { readonly resourceId: string; readonly outcome: string }[];
}

export interface AuditSummary {
  readonly auditId: string;
  readonly trigger: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly galleries: readonly GalleryAuditResult[];
}

function counts<K extends string>(keys: readonly K[], findings: readonly Finding[], of: (f: Finding) => K) {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const f of findings) out[of(f)] = (out[of(f)] ?? 0) + 1;
  return out;
}

async function auditGallery(
  deps: GalleryAuditDeps,
  ref: GalleryRef,
  audit: { readonly id: string; readonly startedAt: Date },
  log: Logger,
): Promise<GalleryAuditResult> {
  const inventory = await readGalleryInventory(deps.compute(ref.subscriptionId), ref);
  const runs = await deps.ledger.listRunsInGallery(ref.key);
  const now = deps.clock();
  const ctx = buildAuditContext({
    inventory,
    runs,
    settings: deps.config.audit,
    teams: {
      webhookNames: Object.keys(deps.config.notify.teamsWebhooks),
      hasDefault: deps.config.notify.teamsDefaultWebhookUrl !== undefined,
    },
    now,
  });
  const findings = evaluateRules(ctx);
  const galleryId = inventory.gallery.id;
  let opened = 0;
  const actions: { resourceId: string; outcome: string }[] = [];
  for (const finding of findings) {
    const { row, opened: isNew } = await deps.findings.recordSighting(galleryId, finding, {
      id: audit.id,
      now,
    });
    if (isNew) opened++;
    if (deps.config.audit.actions.includes(finding.rule as never) && row.actionTakenAt === undefined) {
      const outcome = await takeAction(deps, finding, audit.id);
      await deps.findings.recordAction(galleryId, finding, outcome, deps.clock());
      actions.push({ resourceId: finding.resourceId, outcome });
    }
  }
  const seen = new Set(findings.map(findingRowKey));
  const resolved = await deps.findings.resolveUnseen(galleryId, seen, audit.startedAt, deps.clock());
  const result: GalleryAuditResult = {
    galleryId,
    status: 'audited',
    definitions: inventory.definitions.length,
    versions: inventory.definitions.reduce((n, d) => n + d.versions.length, 0),
    findings: findings.length,
    opened,
    resolved: resolved.length,
    bySeverity: counts(SEVERITY_ORDER, findings, (f) => f.severity),
    byRule: counts<string>([], findings, (f) => f.rule),
    actions,
  };
  log.info('gallery audited', { ...result, byRule: undefined });
  return result;
}

/** The only action: re-validate a latest version that never passed (GG_AUDIT_ACTIONS=latest-not-passed). */
async function takeAction(deps: GalleryAuditDeps, finding: Finding, auditId: string): Promise<string> {
  if (finding.rule !== RuleId.LatestNotPassed) return 'no action for this rule';
  try {
    const outcome = await deps.revalidate(
      finding.resourceId,
      `audit:${auditId}:${finding.resourceId.toLowerCase()}`,
    );
    return `revalidate: ${outcome.status} (${outcome.reason})`;
  } catch (error) {
    deps.logger.warn('audit action failed; the next audit tries again', {
      resourceId: finding.resourceId,
      error,
    });
    return `revalidate failed: ${toError(error).message.slice(0, 200)}`;
  }
}

/**
 * The governance audit: reads every gallery in GG_GALLERY_SCOPES (list calls only), applies every
 * rule, records each finding (first/last seen) and resolves the ones no longer seen. A gallery that
 * cannot be read is reported as failed and its findings are left as they were (never resolved on a
 * read we did not complete).
 */
export async function runGalleryAudit(
  deps: GalleryAuditDeps,
  trigger: string,
  auditId: string,
): Promise<AuditSummary> {
  const startedAt = deps.clock();
  const log = deps.logger.child({ auditId, trigger });
  const galleries: GalleryAuditResult[] = [];
  for (const ref of deps.config.ingest.galleryScopes) {
    try {
      galleries.push(
        await auditGallery(deps, ref, { id: auditId, startedAt }, log.child({ galleryId: ref.key })),
      );
    } catch (thrown) {
      const error = toError(thrown);
      log.error('gallery audit failed; its findings are kept as they were', { galleryId: ref.key, error });
      galleries.push({
        galleryId: ref.key,
        status: 'failed',
        error: `${error.name}: ${error.message.slice(0, 300)}`,
        definitions: 0,
        versions: 0,
        findings: 0,
        opened: 0,
        resolved: 0,
        bySeverity: counts(SEVERITY_ORDER, [], (f) => f.severity),
        byRule: {},
        actions: [],
      });
    }
  }
  const summary = {
    auditId,
    trigger,
    startedAt: startedAt.toISOString(),
    finishedAt: deps.clock().toISOString(),
    galleries,
  };
  log.info('governance audit finished', {
    galleries: galleries.length,
    failed: galleries.filter((g) => g.status === 'failed').length,
    findings: galleries.reduce((n, g) => n + g.findings, 0),
  });
  return summary;
}
