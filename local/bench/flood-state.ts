import { RUN_TABLE, isTerminalRunState, type RunState } from '../../shared/ledger';
import type { Services } from '../../shared/app/services';
import { Phase } from '../../shared/validation/run/validation-phase';
import { readProgress } from '../../shared/validation/run/validation-state';
import { runHash } from '../../shared/validation/vm/validation-resources';
import type { LiveResource, VmCreation } from '../arm-sim';
import type { SimulatorProcess } from './simulator-process';

/** What state shows for one version after the flood: its run rows and the VMs created from it. */
export interface VersionOutcome {
  readonly versionId: string;
  /** Run rows (attempts) in the run table. */
  readonly runs: number;
  /** Runs with a terminal state whose workflow is complete (VMs confirmed deleted). */
  readonly finished: number;
  readonly verdicts: readonly string[];
  /** Distinct run hashes among the VMs the simulator created from this version. */
  readonly vmSets: number;
  readonly vmsCreated: number;
  /** VM names the simulator created more than once. */
  readonly recreated: readonly string[];
  /** The single run's planned VMs are exactly the VMs created (false when runs ≠ 1). */
  readonly vmsMatchPlan: boolean;
}

export interface FloodState {
  readonly versions: readonly VersionOutcome[];
  /** Run rows for versions outside the flood (should be none). */
  readonly strayRuns: number;
  /** VMs, NICs and disks created through ARM that are still there. */
  readonly leftovers: readonly LiveResource[];
}

type Row = Record<string, unknown>;

async function runRows(services: Services): Promise<Row[]> {
  await services.ledger.ensureTable();
  const rows: Row[] = [];
  for await (const row of services.storage.table(RUN_TABLE).listEntities<Row>()) {
    if (typeof row.versionKey === 'string') rows.push(row);
  }
  return rows;
}

const isFinished = (row: Row): boolean =>
  isTerminalRunState(row.state as RunState) &&
  readProgress(row as Record<string, string>).phase === Phase.Complete;

/** True once every version has a run and every run row is terminal with its workflow complete. */
export async function floodSettled(services: Services, versionIds: readonly string[]): Promise<boolean> {
  const rows = await runRows(services);
  const keys = new Set(rows.map((r) => String(r.versionKey)));
  return versionIds.every((v) => keys.has(v.toLowerCase())) && rows.every(isFinished);
}

/**
 * Reads the outcome from state, not from the app's counters: run rows from the Table, VM creations
 * (with the image version each came from) and live resources from the simulator's own records.
 */
export async function floodState(
  services: Services,
  sim: SimulatorProcess,
  versionIds: readonly string[],
): Promise<FloodState> {
  const [rows, creations, leftovers] = await Promise.all([
    runRows(services),
    sim.admin<{ value: VmCreation[] }>('GET', '/vm-creations'),
    sim.leftovers(),
  ]);
  const wanted = new Set(versionIds.map((v) => v.toLowerCase()));
  const versions = versionIds.map((versionId): VersionOutcome => {
    const key = versionId.toLowerCase();
    const runs = rows.filter((r) => r.versionKey === key);
    const vms = creations.value.filter((c) => c.imageVersionId.toLowerCase() === key).map((c) => c.name);
    const sets = new Set(vms.map((name) => /^gg-([^-]+)-/.exec(name)?.[1] ?? name));
    const [only] = runs;
    const planned =
      runs.length === 1 && only !== undefined
        ? readProgress(only as Record<string, string>).state.vms.map((v) => v.name)
        : [];
    const hash = only === undefined ? '' : runHash(`${String(only.partitionKey)}/${String(only.rowKey)}`);
    return {
      versionId,
      runs: runs.length,
      finished: runs.filter(isFinished).length,
      verdicts: runs.map((r) => String(r.state)),
      vmSets: sets.size,
      vmsCreated: vms.length,
      recreated: [...new Set(vms.filter((n, i) => vms.indexOf(n) !== i))],
      vmsMatchPlan:
        runs.length === 1 &&
        planned.length > 0 &&
        vms.every((n) => n.startsWith(`gg-${hash}-`)) &&
        [...vms].sort().join() === [...planned].sort().join(),
    };
  });
  return {
    versions,
    strayRuns: rows.filter((r) => !wanted.has(String(r.versionKey))).length,
    leftovers,
  };
}
