import type { ChangesSummary } from '../inventory/changes-summary';

/**
 * The outcome of validating one image version: what the validation engine produces and what the
 * remediation and notification actions consume. `Inconclusive` means the infrastructure, not the image,
 * kept us from deciding (throttling, quota, capacity, timeouts of Azure itself): it never changes Azure.
 */
export const Verdict = { Passed: 'Passed', Failed: 'Failed', Inconclusive: 'Inconclusive' } as const;
export type Verdict = (typeof Verdict)[keyof typeof Verdict];

export const CheckStatus = {
  Passed: 'Passed',
  Failed: 'Failed',
  Inconclusive: 'Inconclusive',
  Skipped: 'Skipped',
} as const;
export type CheckStatus = (typeof CheckStatus)[keyof typeof CheckStatus];

export interface CheckResult {
  /** Stable check name, e.g. "provisioning", "guest-agent", "boot-log", "ssh-host-keys-unique". */
  readonly name: string;
  readonly status: CheckStatus;
  /** One sentence a human on call can act on. */
  readonly reason: string;
  readonly region?: string;
  readonly vmName?: string;
  /** Short excerpt (never secrets), e.g. the serial-log line that matched. */
  readonly evidence?: string;
}

export interface VerdictReport {
  readonly runId: string;
  /** ARM id of the image version, as ARM spells it. */
  readonly versionId: string;
  readonly verdict: Verdict;
  readonly checks: readonly CheckResult[];
  /** Regions that were tested. */
  readonly regions: readonly string[];
  /** Seconds from VM create to agent Ready, per VM name. */
  readonly bootSeconds: Readonly<Record<string, number>>;
  readonly decidedAt: string;
  /** What changed against the baseline (what "latest" resolved to), when inventory was compared. */
  readonly changes?: ChangesSummary;
  /** An Inconclusive run that our configuration caused (e.g. missing permissions): operators are paged. */
  readonly configurationError?: string;
}
