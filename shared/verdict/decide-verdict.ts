import type { CheckResult, Verdict } from './verdict';

/**
 * Any failed check fails the version; otherwise anything we could not decide makes the run
 * Inconclusive; only a complete set of passing (or deliberately skipped) checks passes it.
 */
export function decideVerdict(checks: readonly CheckResult[]): Verdict {
  if (checks.some((c) => c.status === 'Failed')) return 'Failed';
  if (checks.length === 0 || checks.some((c) => c.status === 'Inconclusive')) return 'Inconclusive';
  if (!checks.some((c) => c.status === 'Passed')) return 'Inconclusive';
  return 'Passed';
}
