import { statusOf } from '../azure/rest-errors';
import type { ChangesSummary } from '../inventory/changes-summary';
import type { InventoryDiff } from '../inventory/inventory-diff';
import { INVENTORY_TABLE, InventoryStore } from '../inventory/inventory-store';
import { parseImageVersionId } from '../arm/resource-id';
import type { ValidationRun } from '../ledger/validation-run';
import { listDeliveries, NOTIFICATION_TABLE } from '../notify/delivery-ledger';
import { listOperatorRequests, listRunActions } from '../remediation/remediation-history';
import { REMEDIATION_TABLE } from '../remediation/remediation-ledger';
import { PHASE_ORDER, phasePosition, type Phase } from '../validation/run/validation-phase';
import { readProgress } from '../validation/run/validation-state';
import { readRollout } from '../rollout/rollout-ledger';
import type { RolloutRegion, RolloutStatus } from '../rollout/rollout-plan';
import type { CheckResult } from '../verdict/verdict';
import type { OperatorDeps } from './operator-deps';
import { OperatorInputError, OperatorNotFoundError } from './operator-errors';
import { summaryOf, type RunSummary } from './run-summary';
import { resolveRef } from './version-ref';

export interface PhaseTiming {
  readonly phase: string;
  readonly step: number;
  readonly of: number;
  readonly startedAt: string;
  readonly endedAt?: string;
  readonly seconds?: number;
  readonly attempts: number;
  readonly armCalls: number;
  readonly outcome?: string;
}

export interface VmView {
  readonly name: string;
  readonly region: string;
  readonly size: string;
  readonly securityType: string;
  readonly status: string;
  readonly computerName?: string;
  readonly bootSeconds?: number;
  readonly failure?: string;
}

export interface RemediationStep {
  readonly action: string;
  readonly status: string;
  readonly reason: string;
  readonly attempts: number;
  readonly at: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface NotificationSent {
  readonly kind: string;
  readonly channel: string;
  readonly destination: string;
  readonly status: string;
  readonly attempts: number;
  readonly httpStatus?: number;
  readonly lastError?: string;
  readonly deliveredAt?: string;
}

export interface OperatorRequestView {
  readonly kind: string;
  readonly requestedBy: string;
  readonly reason: string;
  readonly outcome: string;
  readonly at: string;
}

/** One run in full: the row, its validation decoded, and what it changed and told. */
export interface RunDetail {
  readonly run: RunSummary & {
    readonly sources: readonly string[];
    readonly nextActionAt: string;
    readonly enqueuedAt?: string;
    readonly correlationId?: string;
  };
  readonly attempts: readonly RunSummary[];
  readonly validation: {
    readonly phase: string;
    readonly osType?: string;
    readonly osState?: string;
    readonly owner?: string;
    readonly policyProblems: readonly string[];
    readonly targetRegions: readonly string[];
    readonly regions: readonly string[];
    readonly verdict?: string;
    readonly verdictReason?: string;
    readonly decidedAt?: string;
    readonly infraFaults: number;
    readonly lastInfraFault?: string;
    readonly armCalls: number;
    readonly slotWaitSince?: string;
    readonly cleanedUpAt?: string;
  };
  readonly phases: readonly PhaseTiming[];
  readonly vms: readonly VmView[];
  readonly checks: readonly CheckResult[];
  /** What changed against the baseline ("latest" when the run compared), per region, bounded. */
  readonly changes?: ChangesSummary;
  /** The full diffs this run stored (inventory table), per region. */
  readonly diffs: readonly InventoryDiff[];
  readonly remediation: readonly RemediationStep[];
  readonly notifications: readonly NotificationSent[];
  readonly operatorRequests: readonly OperatorRequestView[];
  /** Gate mode's regional rollout started by this run, per region in rollout order. */
  readonly rollout?: {
    readonly status: RolloutStatus;
    readonly regions: readonly RolloutRegion[];
    readonly nextCheckAt?: string;
    readonly finishedAt?: string;
  };
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const seconds = (from: string, to: string | undefined): number | undefined =>
  to === undefined || to === '' ? undefined : Math.round((Date.parse(to) - Date.parse(from)) / 100) / 10;

async function findRun(
  deps: OperatorDeps,
  text: string,
  attempt: number | undefined,
): Promise<{ run: ValidationRun }> {
  const ref = resolveRef(text, deps.config.ingest.galleryScopes);
  if (ref.kind === 'run') {
    const run = await deps.ledger.getRun(ref.key);
    if (run === undefined) throw new OperatorNotFoundError(`no run ${ref.runId}`);
    return { run };
  }
  const attempts = await deps.ledger.listAttempts(ref.version);
  const run = attempt === undefined ? attempts.at(-1) : attempts.find((a) => a.attempt === attempt);
  if (run === undefined) {
    const which = attempt === undefined ? 'no run' : `no attempt ${attempt}`;
    throw new OperatorNotFoundError(`${which} for ${ref.version.image}/${ref.version.version}`);
  }
  return { run };
}

/** Reads that tolerate a table nobody has written yet. */
async function orNone<T>(read: () => Promise<T[]>): Promise<T[]> {
  try {
    return await read();
  } catch (error) {
    if (statusOf(error) === 404) return [];
    throw error;
  }
}

export function parseAttempt(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const attempt = Number(raw);
  if (!Number.isInteger(attempt) || attempt < 1)
    throw new OperatorInputError('attempt must be a whole number from 1');
  return attempt;
}

/** `gg runs show`: the run a reference names (latest attempt unless `attempt` is given), decoded. */
export async function showRun(deps: OperatorDeps, ref: string, attempt?: number): Promise<RunDetail> {
  const { run } = await findRun(deps, ref, attempt);
  const { phase, state } = readProgress(run.extra);
  const summary = summaryOf(run);
  const versionKey = run.versionKey;
  const remediationTable = deps.storage.table(REMEDIATION_TABLE);
  const [attempts, actions, deliveries, requests, rollout, diffs] = await Promise.all([
    deps.ledger.listAttempts(parseImageVersionId(run.versionId)),
    listRunActions(remediationTable, versionKey, run.runId),
    orNone(() => listDeliveries(deps.storage.table(NOTIFICATION_TABLE), versionKey)),
    listOperatorRequests(remediationTable, versionKey),
    readRollout(remediationTable, versionKey, run.runId),
    new InventoryStore(deps.storage.table(INVENTORY_TABLE)).diffs(run.versionId, run.runId),
  ]);
  const phases = PHASE_ORDER.flatMap((name: Phase): PhaseTiming[] => {
    const stats = state.steps[name];
    if (stats === undefined) return [];
    return [
      {
        phase: name,
        ...phasePosition(name),
        startedAt: stats.startedAt,
        ...(stats.endedAt === undefined ? {} : { endedAt: stats.endedAt }),
        ...(seconds(stats.startedAt, stats.endedAt) === undefined
          ? {}
          : { seconds: seconds(stats.startedAt, stats.endedAt) }),
        attempts: stats.attempts,
        armCalls: stats.armCalls,
        ...(stats.outcome === undefined ? {} : { outcome: stats.outcome }),
      },
    ];
  });
  return {
    run: {
      ...summary,
      sources: run.sources,
      nextActionAt: run.nextActionAt,
      ...(run.enqueuedAt === undefined ? {} : { enqueuedAt: run.enqueuedAt }),
      ...(run.correlationId === undefined ? {} : { correlationId: run.correlationId }),
    },
    attempts: attempts.reverse().map(summaryOf),
    validation: {
      phase,
      osType: state.image?.osType,
      osState: state.image?.osState,
      owner: state.owner,
      policyProblems: state.policyProblems ?? [],
      targetRegions: state.targetRegions ?? [],
      regions: state.regions ?? [],
      verdict: state.verdict,
      verdictReason: state.verdictReason,
      decidedAt: state.decidedAt,
      infraFaults: state.infraFaults,
      lastInfraFault: state.lastInfraFault,
      armCalls: state.armCalls,
      slotWaitSince: state.slotWaitSince,
      cleanedUpAt: state.cleanedUpAt,
    },
    phases,
    vms: state.vms.map((vm) => ({
      name: vm.name,
      region: vm.region,
      size: vm.size,
      securityType: vm.securityType,
      status: vm.status,
      ...(vm.computerName === undefined ? {} : { computerName: vm.computerName }),
      ...(vm.bootSeconds === undefined ? {} : { bootSeconds: vm.bootSeconds }),
      ...(vm.failure === undefined ? {} : { failure: vm.failure }),
    })),
    checks: state.checks,
    ...(state.changes === undefined ? {} : { changes: state.changes }),
    diffs,
    remediation: actions.map((a) => ({
      action: a.action,
      status: a.status,
      reason: a.reason,
      attempts: a.attempts,
      at: a.at,
      ...(a.before === undefined ? {} : { before: parseJson(a.before) }),
      ...(a.after === undefined ? {} : { after: parseJson(a.after) }),
    })),
    notifications: deliveries
      .filter((d) => d.runId === run.runId)
      .map((d) => ({
        kind: d.kind,
        channel: d.channel,
        destination: d.destination,
        status: d.status,
        attempts: d.attempts,
        ...(d.httpStatus === undefined ? {} : { httpStatus: d.httpStatus }),
        ...(d.lastError === undefined ? {} : { lastError: d.lastError }),
        ...(d.deliveredAt === undefined ? {} : { deliveredAt: d.deliveredAt }),
      })),
    operatorRequests: requests.map((r) => ({
      kind: r.kind,
      requestedBy: r.requestedBy,
      reason: r.reason,
      outcome: r.outcome,
      at: r.at,
    })),
    ...(rollout === undefined
      ? {}
      : {
          rollout: {
            status: rollout.status,
            regions: rollout.regions,
            ...(rollout.nextCheckAt === undefined ? {} : { nextCheckAt: rollout.nextCheckAt }),
            ...(rollout.finishedAt === undefined ? {} : { finishedAt: rollout.finishedAt }),
          },
        }),
  };
}
