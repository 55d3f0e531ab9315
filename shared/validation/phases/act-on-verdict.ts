import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { verdictReport } from '../run/verdict-report';

/** Hands the verdict to the verdict actions (idempotent there; a throw means retry later). */
export const actOnVerdict: PhaseFunction = async (ctx, run) => {
  if (ctx.runVerdictActions !== undefined && run.state.verdict !== undefined && !run.state.cancelled) {
    await ctx.runVerdictActions(verdictReport(run));
  }
  return { next: Phase.Complete, state: run.state };
};
