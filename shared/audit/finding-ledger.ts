import type { TableClient } from '@azure/data-tables';
import { odata } from '../azure/odata';
import { ensureTable } from '../azure/ensure-table';
import { escapeTableKey } from '../azure/table-key';
import { TableStore, type StoredRow } from '../azure/table-store';
import { findingKey, type Evidence, type Finding, type RuleId, type Severity } from './finding';

export const FINDING_TABLE = 'ggfindings';

export const FindingState = { Open: 'Open', Resolved: 'Resolved' } as const;
export type FindingState = (typeof FindingState)[keyof typeof FindingState];

/** One row per finding (rule × resource × detail), partitioned by gallery; it lives across audits. */
export interface FindingRow {
  rule: RuleId;
  severity: Severity;
  state: FindingState;
  galleryId: string;
  resourceId: string;
  detail: string;
  reason: string;
  /** JSON of the Evidence object. */
  evidence: string;
  fix: string;
  owner: string;
  teamsWebhook: string;
  firstSeenAt: string;
  lastSeenAt: string;
  resolvedAt: string;
  /** Audits that saw it; a finding that was resolved and came back keeps counting. */
  timesSeen: number;
  lastAuditId: string;
  actionTakenAt?: string;
  actionOutcome?: string;
}

/** A finding as the API, CLI and digest show it. */
export interface RecordedFinding extends Omit<FindingRow, 'evidence' | 'owner' | 'teamsWebhook'> {
  readonly evidence: Evidence;
  readonly owner?: string;
  readonly teamsWebhook?: string;
}

const MAX_TEXT = 4000;

/** The stored columns of a row, without the service's etag/timestamp/odata metadata. */
function columnsOf(row: StoredRow<FindingRow>): FindingRow & { partitionKey: string; rowKey: string } {
  const {
    etag: _etag,
    timestamp: _timestamp,
    ...rest
  } = row as StoredRow<FindingRow> & { timestamp?: string };
  return Object.fromEntries(
    Object.entries(rest).filter(([k]) => !k.startsWith('odata')),
  ) as unknown as FindingRow & {
    partitionKey: string;
    rowKey: string;
  };
}

export function recordedFinding(row: StoredRow<FindingRow> | FindingRow): RecordedFinding {
  const { owner, teamsWebhook, evidence, ...rest } = row as FindingRow & Record<string, unknown>;
  const clean = Object.fromEntries(
    Object.entries(rest).filter(
      ([k]) => !['partitionKey', 'rowKey', 'etag', 'timestamp'].includes(k) && !k.startsWith('odata'),
    ),
  ) as Omit<FindingRow, 'evidence' | 'owner' | 'teamsWebhook'>;
  let parsed: Evidence;
  try {
    parsed = JSON.parse(evidence) as Evidence;
  } catch {
    parsed = {};
  }
  return {
    ...clean,
    evidence: parsed,
    ...(owner === '' ? {} : { owner }),
    ...(teamsWebhook === '' ? {} : { teamsWebhook }),
  };
}

/**
 * The findings table. Every write is conditional (TableStore.mutate: insert-if-absent or If-Match),
 * so two audits racing (timer and endpoint) leave one row per finding with the earliest firstSeenAt,
 * and a finding is resolved only if no audit saw it after the resolving audit started.
 */
export class FindingLedger {
  private readonly store: TableStore<FindingRow>;

  constructor(private readonly table: TableClient) {
    this.store = new TableStore<FindingRow>(table);
  }

  ensureTable(): Promise<void> {
    return ensureTable(this.table);
  }

  /** Records that `audit` saw `finding` in `galleryId` at `now`; returns the row and whether it is new. */
  async recordSighting(
    galleryId: string,
    finding: Finding,
    audit: { readonly id: string; readonly now: Date },
  ): Promise<{ readonly row: FindingRow; readonly opened: boolean }> {
    await this.ensureTable();
    const now = audit.now.toISOString();
    let opened = false;
    const result = await this.store.mutate(
      escapeTableKey(galleryId.toLowerCase()),
      escapeTableKey(findingKey(finding)),
      (current) => {
        opened = current === undefined || current.state === FindingState.Resolved;
        return {
          partitionKey: escapeTableKey(galleryId.toLowerCase()),
          rowKey: escapeTableKey(findingKey(finding)),
          rule: finding.rule,
          severity: finding.severity,
          state: FindingState.Open,
          galleryId,
          resourceId: finding.resourceId,
          detail: finding.detail,
          reason: finding.reason.slice(0, 500),
          evidence: JSON.stringify(finding.evidence).slice(0, MAX_TEXT),
          fix: finding.fix.slice(0, MAX_TEXT),
          owner: finding.owner ?? '',
          teamsWebhook: finding.teamsWebhook ?? '',
          firstSeenAt: current?.firstSeenAt ?? now,
          lastSeenAt: current !== undefined && current.lastSeenAt > now ? current.lastSeenAt : now,
          resolvedAt: '',
          timesSeen: (current?.timesSeen ?? 0) + 1,
          lastAuditId: audit.id,
          // An action belongs to one episode: a finding that comes back may be acted on again.
          ...(current?.state !== FindingState.Open || current.actionTakenAt === undefined
            ? {}
            : { actionTakenAt: current.actionTakenAt, actionOutcome: current.actionOutcome ?? '' }),
        };
      },
    );
    return { row: result.row as FindingRow, opened };
  }

  /** Records the outcome of a rule's action on an open finding (at most once per episode). */
  async recordAction(galleryId: string, finding: Finding, outcome: string, now: Date): Promise<void> {
    await this.store.mutate(
      escapeTableKey(galleryId.toLowerCase()),
      escapeTableKey(findingKey(finding)),
      (current) =>
        current === undefined
          ? undefined
          : { ...columnsOf(current), actionTakenAt: now.toISOString(), actionOutcome: outcome.slice(0, 500) },
    );
  }

  /**
   * Resolves the open findings of `galleryId` that this audit did not see. A row another audit saw
   * after `startedAt` stays open (that audit is newer than this one).
   */
  async resolveUnseen(
    galleryId: string,
    seen: ReadonlySet<string>,
    startedAt: Date,
    now: Date,
  ): Promise<RecordedFinding[]> {
    await this.ensureTable();
    const partitionKey = escapeTableKey(galleryId.toLowerCase());
    const resolved: RecordedFinding[] = [];
    const open = this.store.list(odata`PartitionKey eq ${partitionKey} and state eq ${FindingState.Open}`);
    for await (const row of open) {
      const rowKey = row.rowKey ?? '';
      if (seen.has(rowKey)) continue;
      const outcome = await this.store.mutate(partitionKey, rowKey, (current) =>
        current === undefined ||
        current.state !== FindingState.Open ||
        current.lastSeenAt >= startedAt.toISOString()
          ? undefined
          : { ...columnsOf(current), state: FindingState.Resolved, resolvedAt: now.toISOString() },
      );
      if (outcome.written) resolved.push(recordedFinding(outcome.row as FindingRow));
    }
    return resolved;
  }

  /** Findings in one state (all galleries, or one), for the API and the digest. */
  async list(
    options: { readonly state?: FindingState; readonly galleryId?: string } = {},
  ): Promise<RecordedFinding[]> {
    await this.ensureTable();
    const filters = [
      ...(options.state === undefined ? [] : [odata`state eq ${options.state}`]),
      ...(options.galleryId === undefined
        ? []
        : [odata`PartitionKey eq ${escapeTableKey(options.galleryId.toLowerCase())}`]),
    ];
    const rows: RecordedFinding[] = [];
    for await (const row of this.store.list(filters.length === 0 ? undefined : filters.join(' and '))) {
      rows.push(recordedFinding(row));
    }
    return rows;
  }
}

/** The row key a finding is stored under (what resolveUnseen compares). */
export const findingRowKey = (finding: Finding): string => escapeTableKey(findingKey(finding));
