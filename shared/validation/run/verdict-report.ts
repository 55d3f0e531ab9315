import type { RunView } from './validation-context';
import type { VerdictReport } from '../../verdict/verdict';

/** The VerdictReport of a decided run, as verdict actions and notifications consume it. */
export function verdictReport(run: Pick<RunView, 'runId' | 'versionId' | 'state'>): VerdictReport {
  const { state } = run;
  if (state.verdict === undefined) throw new Error(`Run ${run.runId} has no verdict yet`);
  const bootSeconds: Record<string, number> = {};
  for (const vm of state.vms) if (vm.bootSeconds !== undefined) bootSeconds[vm.name] = vm.bootSeconds;
  return {
    runId: run.runId,
    versionId: run.versionId,
    verdict: state.verdict,
    checks: state.checks,
    regions: state.regions ?? [],
    bootSeconds,
    decidedAt: state.decidedAt ?? new Date(0).toISOString(),
    ...(state.changes === undefined ? {} : { changes: state.changes }),
    ...(state.configurationError === undefined ? {} : { configurationError: state.configurationError }),
  };
}
