import { indexedRun, isInFlight, type IndexedRun, RunIndexTokenError } from '../ledger/run-index';
import { parseRunId } from '../ledger/run-key';
import { RunState } from '../ledger/run-state';
import { Verdict } from '../verdict/verdict';
import type { OperatorDeps } from './operator-deps';
import { OperatorInputError, OperatorNotFoundError } from './operator-errors';
import { summaryOf, type RunSummary } from './run-summary';
import { resolveRef } from './version-ref';

/** Filters as they arrive from a query string or the CLI (all optional, all text). */
export interface ListRunsRequest {
  readonly state?: string;
  readonly verdict?: string;
  readonly gallery?: string;
  readonly image?: string;
  /** ISO time, or a duration back from now: `30m`, `24h`, `7d`. */
  readonly since?: string;
  readonly limit?: string;
  readonly continuationToken?: string;
  /** Every attempt of one version (`image/version`, version id) or one run id. */
  readonly ref?: string;
}

export interface RunList {
  readonly runs: readonly RunSummary[];
  readonly continuationToken?: string;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

function oneOf<T extends string>(name: string, raw: string | undefined, values: readonly T[]): T | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = values.find((v) => v.toLowerCase() === raw.trim().toLowerCase());
  if (value === undefined) throw new OperatorInputError(`${name} must be one of ${values.join(', ')}`);
  return value;
}

export function parseSince(raw: string | undefined, now: Date): Date | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const relative = /^(\d{1,6})([mhd])$/i.exec(raw.trim());
  if (relative !== null) {
    return new Date(now.getTime() - Number(relative[1]) * (UNITS[relative[2]!.toLowerCase()] ?? 0));
  }
  const at = Date.parse(raw);
  if (Number.isNaN(at))
    throw new OperatorInputError('since must be an ISO time or a duration such as 30m, 24h, 7d');
  return new Date(at);
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new OperatorInputError(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
  }
  return limit;
}

/**
 * Lists runs newest first from the run index (one query per page and month, never a scan of the
 * version partitions). Rows that claim a run is still in flight are re-read from the run row, the
 * truth, and the index is healed if it lagged.
 */
export async function listRuns(deps: OperatorDeps, request: ListRunsRequest): Promise<RunList> {
  const now = deps.clock();
  const state = oneOf('state', request.state, Object.values(RunState));
  const verdict = oneOf('verdict', request.verdict, Object.values(Verdict));
  const limit = parseLimit(request.limit);
  if (request.ref !== undefined && request.ref.trim() !== '') return listAttempts(deps, request.ref);
  let page;
  try {
    page = await deps.runIndex.list(
      {
        state,
        verdict,
        gallery: request.gallery?.trim() || undefined,
        image: request.image?.trim() || undefined,
        since: parseSince(request.since, now),
        limit,
        continuationToken: request.continuationToken?.trim() || undefined,
      },
      now,
    );
  } catch (error) {
    if (error instanceof RunIndexTokenError) throw new OperatorInputError(error.message);
    throw error;
  }
  const runs: RunSummary[] = [];
  for (const entry of page.runs) {
    const fresh = isInFlight(entry) ? await recheck(deps, entry) : entry;
    if (fresh === undefined) continue;
    if (state !== undefined && fresh.state !== state) continue;
    if (verdict !== undefined && fresh.verdict !== verdict) continue;
    runs.push(summaryOf(fresh));
  }
  return {
    runs,
    ...(page.continuationToken === undefined ? {} : { continuationToken: page.continuationToken }),
  };
}

/** The run row behind an index row that says "in flight"; re-indexes it when the index lagged. */
export async function recheck(deps: OperatorDeps, entry: IndexedRun): Promise<IndexedRun | undefined> {
  const run = await deps.ledger.getRun(parseRunId(entry.runId));
  if (run === undefined) return undefined;
  const fresh = indexedRun(run);
  if (fresh.state !== entry.state || fresh.phase !== entry.phase || fresh.verdict !== entry.verdict) {
    await deps.ledger.reindex(run);
  }
  return fresh;
}

async function listAttempts(deps: OperatorDeps, text: string): Promise<RunList> {
  const ref = resolveRef(text, deps.config.ingest.galleryScopes);
  if (ref.kind === 'run') {
    const run = await deps.ledger.getRun(ref.key);
    if (run === undefined) throw new OperatorNotFoundError(`no run ${ref.runId}`);
    return { runs: [summaryOf(run)] };
  }
  const attempts = await deps.ledger.listAttempts(ref.version);
  return { runs: attempts.reverse().map(summaryOf) };
}
