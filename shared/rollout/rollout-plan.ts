import type { RolloutConfig } from '../config';
import { regionKey } from '../gallery/latest-version';
import { decideVerdict } from '../verdict/decide-verdict';
import { Verdict, type VerdictReport } from '../verdict/verdict';

/**
 * A regional rollout's state per region:
 *   pending      excluded from latest there, waiting its turn (replication, soak, earlier regions)
 *   promoted     the regional excludeFromLatest lifted: "latest" may resolve to the version there
 *   failed       validation failed there: the rollout stopped at this region
 *   quarantined  never promoted: a region before it failed
 *   rolled-back  was promoted, excluded again after a later region failed (GG_ROLLOUT_ON_FAILURE)
 *   held         never promoted: not validated there (untested, or the run could not decide)
 */
export type RegionRolloutState = 'pending' | 'promoted' | 'failed' | 'quarantined' | 'rolled-back' | 'held';

export interface RolloutRegion {
  readonly name: string;
  readonly state: RegionRolloutState;
  /** The region's verdict in the run (absent: not tested). */
  readonly verdict?: Verdict;
  readonly at?: string;
  readonly reason?: string;
}

export type RolloutStatus = 'in-progress' | 'completed' | 'stopped';

export interface Rollout {
  readonly versionId: string;
  readonly runId: string;
  readonly startedAt: string;
  readonly status: RolloutStatus;
  /** In rollout order. */
  readonly regions: readonly RolloutRegion[];
  /** Every region was explicitly excluded (regional flags) before the first promotion. */
  readonly regionsHeld: boolean;
  readonly lastPromotedAt?: string;
  /** When a timer should look again (soak end, or the next replication poll). */
  readonly nextCheckAt?: string;
  readonly finishedAt?: string;
  /** The summary card went out (one per rollout). */
  readonly notified: boolean;
  /** The run's verdict, trimmed to what the card shows (failing checks, boot times). */
  readonly report: VerdictReport;
}

const MAX_STORED_CHECKS = 10;

/** The report without passing checks and with short evidence: a rollout row stays small. */
function trimmed(report: VerdictReport): VerdictReport {
  return {
    ...report,
    checks: report.checks
      .filter((c) => c.status !== 'Passed')
      .slice(0, MAX_STORED_CHECKS)
      .map((c) => ({ ...c, reason: c.reason.slice(0, 300), evidence: c.evidence?.slice(0, 300) })),
  };
}

/**
 * The order regions are promoted in: the configured ones first (canaries), in their order, then the
 * other target regions alphabetically, so every instance computes the same order.
 */
export function rolloutOrder(targets: readonly string[], configured: readonly string[]): string[] {
  const keys = [...new Set(targets.map(regionKey))];
  const first = configured.map(regionKey).filter((r) => keys.includes(r));
  const rest = keys.filter((r) => !first.includes(r)).sort();
  return [...first, ...rest];
}

/**
 * Each tested region's own verdict: the checks made there plus those that belong to no region (e.g.
 * identities compared across VMs), decided like the run's verdict. An Inconclusive run is
 * Inconclusive everywhere (the infrastructure, not a region's VMs, kept it from deciding).
 */
export function regionalVerdicts(report: VerdictReport): Record<string, Verdict> {
  const out: Record<string, Verdict> = {};
  for (const region of report.regions.map(regionKey)) {
    if (report.verdict === Verdict.Inconclusive) {
      out[region] = Verdict.Inconclusive;
      continue;
    }
    const checks = report.checks.filter((c) => c.region === undefined || regionKey(c.region) === region);
    out[region] = decideVerdict(checks);
  }
  return out;
}

export function newRollout(
  report: VerdictReport,
  targets: readonly string[],
  settings: Pick<RolloutConfig, 'order'>,
  now: Date,
): Rollout {
  const verdicts = regionalVerdicts(report);
  return {
    versionId: report.versionId,
    runId: report.runId,
    startedAt: now.toISOString(),
    status: 'in-progress',
    regions: rolloutOrder(targets, settings.order).map((name) => ({
      name,
      state: 'pending',
      ...(verdicts[name] === undefined ? {} : { verdict: verdicts[name] }),
    })),
    regionsHeld: false,
    notified: false,
    report: trimmed(report),
  };
}

/** What one region's replication looks like now (publishingProfile replicationStatus.summary[].state). */
export type ReplicationStates = Readonly<Record<string, string | undefined>>;

export type RolloutStep =
  | { readonly kind: 'hold-regions' }
  | { readonly kind: 'promote'; readonly region: string }
  | { readonly kind: 'wait'; readonly until: Date; readonly reason: string }
  | { readonly kind: 'stop'; readonly failedRegion?: string; readonly reason: string }
  | { readonly kind: 'complete' };

/**
 * The next thing a rollout does, from its stored state, the live replication states and the clock.
 * Pure and level-triggered: the same inputs give the same step, so a crash and a redrive repeat it.
 * A region is promoted only when its own validation passed, its replication completed, every region
 * before it is promoted and the soak time since the last promotion is over.
 */
export function nextRolloutStep(
  rollout: Rollout,
  replication: ReplicationStates,
  now: Date,
  settings: Pick<RolloutConfig, 'soakMinutes'> & { readonly pollMs: number },
): RolloutStep {
  if (rollout.status !== 'in-progress') return { kind: 'complete' };
  const next = rollout.regions.find((r) => r.state === 'pending');
  if (next === undefined) return { kind: 'complete' };
  if (next.verdict === Verdict.Failed) {
    return { kind: 'stop', failedRegion: next.name, reason: `validation failed in ${next.name}` };
  }
  if (next.verdict !== Verdict.Passed) {
    const why = next.verdict === undefined ? 'not tested' : 'validation could not decide';
    return { kind: 'stop', reason: `${next.name}: ${why}; not promoted there or after it` };
  }
  if (!rollout.regionsHeld) return { kind: 'hold-regions' };
  const replicationState = replication[next.name];
  if (replicationState === 'Failed') {
    return { kind: 'stop', reason: `replication to ${next.name} failed` };
  }
  if (replicationState !== 'Completed') {
    return {
      kind: 'wait',
      until: new Date(now.getTime() + settings.pollMs),
      reason: `replication to ${next.name} ${replicationState === undefined ? 'not reported' : replicationState.toLowerCase()}`,
    };
  }
  if (rollout.lastPromotedAt !== undefined && settings.soakMinutes > 0) {
    const soakEnds = new Date(Date.parse(rollout.lastPromotedAt) + settings.soakMinutes * 60_000);
    if (now < soakEnds) return { kind: 'wait', until: soakEnds, reason: `soaking before ${next.name}` };
  }
  return { kind: 'promote', region: next.name };
}

/** The rollout after a region was promoted. */
export function promoted(rollout: Rollout, region: string, now: Date): Rollout {
  return {
    ...rollout,
    lastPromotedAt: now.toISOString(),
    nextCheckAt: undefined,
    regions: rollout.regions.map((r) =>
      r.name === region && r.state === 'pending' ? { ...r, state: 'promoted', at: now.toISOString() } : r,
    ),
  };
}

/**
 * The rollout after it stopped: the failing region failed, every region after it quarantined (never
 * promoted), those already promoted rolled back or kept per policy. Without a failure (a region not
 * validated) the rest is held and nothing is rolled back.
 */
export function stopped(
  rollout: Rollout,
  step: Extract<RolloutStep, { kind: 'stop' }>,
  onFailure: RolloutConfig['onFailure'],
  now: Date,
): Rollout {
  const at = now.toISOString();
  const failed = step.failedRegion !== undefined;
  return {
    ...rollout,
    status: 'stopped',
    finishedAt: at,
    nextCheckAt: undefined,
    regions: rollout.regions.map((r): RolloutRegion => {
      if (r.state === 'promoted') {
        return failed && onFailure === 'roll-back'
          ? { ...r, state: 'rolled-back', at, reason: step.reason }
          : r;
      }
      if (r.state !== 'pending') return r;
      if (r.name === step.failedRegion) return { ...r, state: 'failed', at, reason: step.reason };
      return { ...r, state: failed ? 'quarantined' : 'held', at, reason: step.reason };
    }),
  };
}

/** Regions whose regional flag must be true after the rollout stopped. */
export function regionsToExclude(rollout: Rollout): string[] {
  return rollout.regions.filter((r) => r.state !== 'promoted').map((r) => r.name);
}

/** One line per region, for the card, the run details and `gg runs show`. */
export function describeRegion(region: RolloutRegion): string {
  const verdict = region.verdict === undefined ? 'not tested' : region.verdict;
  const label: Record<RegionRolloutState, string> = {
    pending: 'pending',
    promoted: 'promoted (eligible for latest)',
    failed: 'failed (never promoted)',
    quarantined: 'quarantined (never promoted)',
    'rolled-back': 'rolled back (excluded again)',
    held: 'held (not promoted)',
  };
  return `${label[region.state]} · validation ${verdict}`;
}
