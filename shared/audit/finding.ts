/** How urgently a finding needs a person: high = VMs are (or may be) built from an unsafe image today. */
export const Severity = { High: 'high', Medium: 'medium', Low: 'low' } as const;
export type Severity = (typeof Severity)[keyof typeof Severity];

export const SEVERITY_ORDER: readonly Severity[] = [Severity.High, Severity.Medium, Severity.Low];

/** Every rule the governance audit applies (README "Governance audit" describes each). */
export const RuleId = {
  LatestNotPassed: 'latest-not-passed',
  LatestPassStale: 'latest-pass-stale',
  EolNotExcluded: 'eol-not-excluded',
  QuarantinedWithoutEol: 'quarantined-without-eol',
  DefinitionEolReceivingVersions: 'definition-eol-receiving-versions',
  SpecializedShared: 'specialized-shared',
  IdentityFailuresRepeated: 'identity-failures-repeated',
  NoOwner: 'no-owner',
  NoTeamsRoute: 'no-teams-route',
  LowReplicaCount: 'low-replica-count',
  RunStuck: 'run-stuck',
  RunInconclusive: 'run-inconclusive',
} as const;
export type RuleId = (typeof RuleId)[keyof typeof RuleId];
export const RULE_IDS: readonly RuleId[] = Object.values(RuleId);

/** Evidence values are short facts read from ARM or the run ledger (never secrets or webhook URLs). */
export type Evidence = Readonly<Record<string, string | number | boolean | readonly string[]>>;

/** One thing wrong with one resource, as one audit saw it. */
export interface Finding {
  readonly rule: RuleId;
  readonly severity: Severity;
  /** ARM id (ARM spelling) of the gallery, definition or version the finding is about. */
  readonly resourceId: string;
  /** Distinguishes several findings of one rule on one resource (e.g. a run id); '' when there is one. */
  readonly detail: string;
  /** One line a person can act on. */
  readonly reason: string;
  readonly evidence: Evidence;
  /** What to do, with the `az` command where one exists. */
  readonly fix: string;
  /** Who to tell (owner tag), undefined when nobody owns it. */
  readonly owner?: string;
  /** Name of the GG_TEAMS_WEBHOOKS entry the owner's cards go to (teamsWebhook tag). */
  readonly teamsWebhook?: string;
}

/** The stable identity of a finding across audits. */
export function findingKey(finding: Pick<Finding, 'rule' | 'resourceId' | 'detail'>): string {
  return `${finding.rule}|${finding.resourceId.toLowerCase()}|${finding.detail}`;
}
