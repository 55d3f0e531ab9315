import { decideVerdict } from '../../verdict/decide-verdict';
import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';

/** Verdict from the checks (unless the infrastructure already forced Inconclusive). */
export const decide: PhaseFunction = (ctx, run) => {
  const verdict = run.state.verdict ?? decideVerdict(run.state.checks);
  const failed = run.state.checks.filter((c) => c.status === 'Failed').map((c) => c.name);
  const verdictReason =
    run.state.verdictReason ??
    (verdict === 'Failed' ? `failed checks: ${[...new Set(failed)].join(', ')}` : `verdict ${verdict}`);
  return Promise.resolve({
    next: Phase.CleanUp,
    state: {
      ...run.state,
      verdict,
      verdictReason,
      decidedAt: run.state.decidedAt ?? ctx.clock().toISOString(),
    },
  });
};
