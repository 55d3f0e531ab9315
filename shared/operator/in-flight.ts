import { parseRunId } from '../ledger/run-key';
import { indexedRun, isInFlight } from '../ledger/run-index';
import { readProgress } from '../validation/run/validation-state';
import { VM_SLOT_TABLE, VmSlots } from '../validation/vm/vm-slots';
import type { OperatorDeps } from './operator-deps';
import { summaryOf, type RunSummary } from './run-summary';

export interface SlotUse {
  /** `subscription` (the validation subscription) or a region name. */
  readonly scope: string;
  readonly used: number;
  readonly cap: number;
}

export interface InFlightView {
  readonly runs: readonly (RunSummary & { readonly nextActionAt: string; readonly slotWaitSince?: string })[];
  /** How many in-flight runs are in each phase (Queued runs the engine has not touched: `Queued`). */
  readonly byPhase: Readonly<Record<string, number>>;
  readonly slots: readonly SlotUse[];
  /** Runs waiting for VM slots, longest waiting first. */
  readonly waiters: readonly { readonly runId: string; readonly ref?: string; readonly since: string }[];
}

export function vmSlotsOf(deps: OperatorDeps): VmSlots {
  const v = deps.config.validation;
  return new VmSlots(deps.storage.table(VM_SLOT_TABLE), deps.clock, {
    perRegion: v.maxVmsPerRegion,
    perSubscription: v.maxVmsPerSubscription,
  });
}

/**
 * What is in flight now: the runs of the active index (each re-read from its row, the index healed
 * where it lagged), VM slots in use against their caps, and the runs waiting for a slot.
 */
export async function inFlight(deps: OperatorDeps): Promise<InFlightView> {
  const runs: InFlightView['runs'][number][] = [];
  for (const entry of await deps.runIndex.listActive()) {
    const run = await deps.ledger.getRun(parseRunId(entry.runId));
    if (run === undefined) continue;
    const fresh = indexedRun(run);
    if (fresh.state !== entry.state || fresh.phase !== entry.phase) await deps.ledger.reindex(run);
    if (!isInFlight(fresh)) continue;
    const { state } = readProgress(run.extra);
    runs.push({
      ...summaryOf(run),
      nextActionAt: run.nextActionAt,
      ...(state.slotWaitSince === undefined ? {} : { slotWaitSince: state.slotWaitSince }),
    });
  }
  runs.sort((a, b) => a.firstSeenAt.localeCompare(b.firstSeenAt));
  const byPhase: Record<string, number> = {};
  for (const run of runs) {
    const phase = run.phase ?? run.state;
    byPhase[phase] = (byPhase[phase] ?? 0) + 1;
  }
  const slots = vmSlotsOf(deps);
  const regions = Object.keys(deps.config.validation.subnets).sort();
  const use: SlotUse[] = [
    { scope: 'subscription', used: await slots.liveCount('subscription'), cap: slots.limits.perSubscription },
  ];
  for (const region of regions) {
    use.push({ scope: region, used: await slots.liveCount(`region-${region}`), cap: slots.limits.perRegion });
  }
  const refs = new Map(runs.map((r) => [r.runId, r.ref]));
  const waiters = (await slots.listWaiters()).map((w) => ({
    runId: w.runId,
    ...(refs.has(w.runId) ? { ref: refs.get(w.runId) } : {}),
    since: w.since,
  }));
  return { runs, byPhase, slots: use, waiters };
}
