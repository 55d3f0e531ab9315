import type { RemediationMode } from '../config';
import { Verdict } from '../verdict/verdict';
import { isQuarantined, type RemediationRecord } from './remediation-record';
import { failedStep, type DoneStep } from './run-plan';

/** The card's "Action taken": one sentence built from each action's own `describe`. */
export function describeActionTaken(
  verdict: Verdict,
  mode: RemediationMode,
  done: readonly DoneStep[],
  record: RemediationRecord,
): string {
  if (verdict === Verdict.Inconclusive)
    return 'Nothing changed: an inconclusive run never changes Azure. Operators alerted.';
  const failed = failedStep(done);
  if (failed !== undefined) return `Remediation FAILED (${failed.action}: ${failed.reason}). On-call paged.`;
  if (verdict === Verdict.Failed && mode === 'report-only') return 'Report-only: nothing changed in Azure.';
  if (
    verdict === Verdict.Passed &&
    isQuarantined(record) &&
    done.every((d) => d.step.outcome !== 'applied')
  ) {
    return `Still quarantined (run ${record.quarantinedRunId ?? '?'}): nothing is re-included until a person releases it (npm run gg -- release).`;
  }
  const parts = done.map(({ action, step }) => action.describe(step));
  return parts.length === 0 ? 'None needed.' : `${parts.join('; ')}.`;
}
