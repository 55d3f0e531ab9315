import { indexedRun, type IndexedRun } from '../ledger/run-index';
import type { ValidationRun } from '../ledger/validation-run';

/** One run as operators list it: which version, which attempt, where it is, what it decided. */
export interface RunSummary {
  readonly runId: string;
  /** `image/version`: what `gg` accepts back when one gallery is in scope. */
  readonly ref: string;
  readonly gallery: string;
  readonly image: string;
  readonly version: string;
  readonly versionId: string;
  readonly attempt: number;
  readonly state: string;
  readonly verdict?: string;
  readonly phase?: string;
  readonly stateReason?: string;
  readonly firstSeenAt: string;
  readonly updatedAt: string;
}

export function summaryOf(run: IndexedRun | ValidationRun): RunSummary {
  const entry = 'key' in run ? indexedRun(run) : run;
  return {
    runId: entry.runId,
    ref: `${entry.image}/${entry.version}`,
    gallery: entry.gallery,
    image: entry.image,
    version: entry.version,
    versionId: entry.versionId,
    attempt: entry.attempt,
    state: entry.state,
    ...(entry.verdict === undefined ? {} : { verdict: entry.verdict }),
    ...(entry.phase === undefined ? {} : { phase: entry.phase }),
    ...(entry.stateReason === undefined ? {} : { stateReason: entry.stateReason }),
    firstSeenAt: entry.firstSeenAt,
    updatedAt: entry.updatedAt,
  };
}
