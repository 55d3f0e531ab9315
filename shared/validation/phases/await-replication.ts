import type { GalleryImageVersion } from '@azure/arm-compute';
import type { PhaseFunction, PhaseResult, RunView, ValidationContext } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { inconclusive } from '../run/state-helpers';
import { cancelled, readRunVersion } from './version-reader';

/** Test a region only once the version has finished replicating there (or give up: Inconclusive). */
export const awaitReplication: PhaseFunction = async (ctx, run) => {
  const read = await readRunVersion(ctx, run);
  if (read.kind !== 'found') return cancelled(run.state, read.reason);
  return replicationOutcome(ctx, run, read.version);
};

/** Decides from one read of the version (with ReplicationStatus) whether to plan, wait or give up. */
export function replicationOutcome(
  ctx: ValidationContext,
  run: RunView,
  version: GalleryImageVersion,
): PhaseResult {
  const regions = run.state.regions ?? [];
  const summary = version.replicationStatus?.summary ?? [];
  const stateIn = (region: string): string | undefined =>
    summary.find((s) => (s.region ?? '').toLowerCase().replace(/\s+/g, '') === region)?.state;
  const provisioned = version.provisioningState === 'Succeeded';
  const failed = regions.filter((r) => stateIn(r) === 'Failed');
  if (version.provisioningState === 'Failed' || failed.length > 0) {
    const where = failed.length > 0 ? ` in ${failed.join(', ')}` : '';
    return {
      next: Phase.Decide,
      state: inconclusive(run.state, `replication failed${where}; nothing to test`),
    };
  }
  const done = regions.every((r) => stateIn(r) === 'Completed' || (summary.length === 0 && provisioned));
  if (done) return { next: Phase.Plan, state: run.state };
  const since = Date.parse(run.state.replicationWaitSince ?? ctx.clock().toISOString());
  if (ctx.clock().getTime() - since > ctx.options.replicationTimeoutMs) {
    return {
      next: Phase.Decide,
      state: inconclusive(
        run.state,
        `replication did not complete within ${ctx.options.replicationTimeoutMs / 1000} s`,
      ),
    };
  }
  return {
    next: Phase.AwaitReplication,
    state: run.state,
    afterMs: ctx.options.pollMs,
    reason: 'replicating',
  };
}
