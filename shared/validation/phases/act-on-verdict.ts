import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { verdictReport } from '../run/verdict-report';
import { readRunVersion } from './version-reader';

/**
 * Hands the verdict to the verdict actions (idempotent there; a throw means retry later). A verdict
 * is only acted on while ARM still shows the instance it was reached on: a version deleted or
 * re-published meanwhile gets no exclusion, promotion or notice from this run (its new instance has
 * a run of its own), and the run ends Cancelled.
 */
export const actOnVerdict: PhaseFunction = async (ctx, run) => {
  if (ctx.runVerdictActions === undefined || run.state.verdict === undefined || run.state.cancelled) {
    return { next: Phase.Complete, state: run.state };
  }
  if (run.instanceId !== undefined) {
    const read = await readRunVersion(ctx, run);
    if (read.kind !== 'found') {
      return { next: Phase.Complete, state: { ...run.state, cancelled: true }, reason: read.reason };
    }
  }
  await ctx.runVerdictActions(verdictReport(run));
  return { next: Phase.Complete, state: run.state };
};
