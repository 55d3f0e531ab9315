import type { DiffPolicy, DiffRule } from '../policy/diff-policy';
import type { GuestInventory } from './guest-inventory';
import type { InventoryDiff } from './inventory-diff';

/** One rule's outcome in one region. Warn-only failures pass, with `warning` set. */
export interface DiffFinding {
  readonly rule: DiffRule | 'baseline';
  readonly status: 'Passed' | 'Failed' | 'Skipped';
  readonly region: string;
  readonly reason: string;
  readonly evidence?: string;
  readonly warning?: boolean;
}

const list = (names: readonly string[], max = 8): string =>
  `${names.slice(0, max).join(', ')}${names.length > max ? ` (+${names.length - max} more)` : ''}`;

/**
 * The policy applied to one region's diff. Missing data never fails: a rule whose input is absent
 * (no baseline, no boot time, no package list) is Skipped with the reason.
 */
export function evaluateDiffRules(
  diff: InventoryDiff,
  current: GuestInventory,
  policy: DiffPolicy,
): DiffFinding[] {
  const region = diff.region;
  if (diff.kind === 'no-baseline') {
    return [{ rule: 'baseline', status: 'Skipped', region, reason: `no baseline: ${diff.reason}` }];
  }
  const base = `baseline ${diff.baselineVersion} (latest in ${region})`;
  const raw: DiffFinding[] = [];

  if (policy.bootRegressionPercent > 0) {
    const boot = diff.boot;
    if (boot === undefined) {
      raw.push({ rule: 'boot-time', status: 'Skipped', region, reason: `boot time not compared: ${diff.bootUnavailable ?? 'no figures'}` });
    } else {
      const regressed = boot.deltaPercent > policy.bootRegressionPercent && boot.deltaSeconds >= policy.bootMinSeconds;
      raw.push({
        rule: 'boot-time',
        status: regressed ? 'Failed' : 'Passed',
        region,
        reason: regressed
          ? `boot time regressed ${boot.deltaPercent}% (+${boot.deltaSeconds} s) against ${base}, over the ${policy.bootRegressionPercent}% limit`
          : `boot time within ${policy.bootRegressionPercent}% of ${base}`,
        evidence: `${base}: ${boot.before} s; this version: ${boot.after} s (${boot.source})`,
      });
    }
  }

  if (policy.mustHavePackages.length > 0) {
    const known = current.packages.list;
    if (known === undefined) {
      raw.push({ rule: 'must-have-package', status: 'Skipped', region, reason: 'the guest sent no package list' });
    } else {
      const missing = policy.mustHavePackages.filter((p) => known[p] === undefined);
      raw.push({
        rule: 'must-have-package',
        status: missing.length > 0 ? 'Failed' : 'Passed',
        region,
        reason: missing.length > 0 ? `must-have packages missing: ${list(missing)}` : 'all must-have packages installed',
        ...(missing.length > 0 ? { evidence: removedEvidence(diff, missing, base) } : {}),
      });
    }
  }

  if (policy.mustHaveServices.length > 0) {
    const missing = policy.mustHaveServices.filter((s) => !current.services.includes(s.replace(/\.service$/, '')));
    const unsure = missing.length > 0 && current.servicesOmitted > 0;
    raw.push({
      rule: 'must-have-service',
      status: unsure ? 'Skipped' : missing.length > 0 ? 'Failed' : 'Passed',
      region,
      reason: unsure
        ? `must-have services not in the (capped) list: ${list(missing)}; not judged`
        : missing.length > 0
          ? `must-have services not enabled: ${list(missing)}`
          : 'all must-have services enabled',
      ...(missing.length > 0 && !unsure
        ? { evidence: `disabled since ${base}: ${list(diff.services.disabled.filter((d) => missing.some((m) => m.replace(/\.service$/, '') === d))) || 'none (never enabled there either)'}` }
        : {}),
    });
  }

  if (policy.newPort !== 'off') {
    const opened = diff.ports.opened;
    raw.push({
      rule: 'new-port',
      status: opened.length > 0 ? 'Failed' : 'Passed',
      region,
      reason: opened.length > 0 ? `new listening ports against ${base}: ${list(opened)}` : `no new listening port against ${base}`,
      ...(opened.length > 0 ? { evidence: `${base} listened on ${list([...diffPortsBefore(current.ports, opened)]) || 'nothing'}` } : {}),
    });
  }

  return raw.map((f) => {
    const warnOnly = f.rule === 'new-port' ? policy.newPort === 'warn' || policy.warnOnly.includes('new-port') : f.rule !== 'baseline' && policy.warnOnly.includes(f.rule);
    return f.status === 'Failed' && warnOnly
      ? { ...f, status: 'Passed' as const, warning: true, reason: `warning (warn-only rule): ${f.reason}` }
      : f;
  });
} // prettier-ignore

function diffPortsBefore(now: readonly string[], opened: readonly string[]): string[] {
  return now.filter((p) => !opened.includes(p));
}

function removedEvidence(
  diff: Extract<InventoryDiff, { kind: 'diff' }>,
  missing: readonly string[],
  base: string,
): string {
  if (!diff.packages.known) return `${base} package list unknown`;
  const removed = diff.packages.removed.filter((r) => missing.includes(r.name));
  return removed.length > 0
    ? `removed since ${base}: ${list(removed.map((r) => `${r.name} ${r.version}`))}`
    : `not installed in ${base} either`;
}
