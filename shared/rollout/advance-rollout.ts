import type { GalleryImageVersion } from '@azure/arm-compute';
import { ActionWaitError } from '../azure/action-errors';
import { regionKey } from '../gallery/latest-version';
import type { Logger } from '../logging/logger';
import { notifyVerdict, type VerdictPage } from '../notify/notify-verdict';
import { remediationAction } from '../remediation/registry';
import { busyRetryMs, type RemediationAction, type StepSummary } from '../remediation/remediation-action';
import { updateRecord } from '../remediation/remediation-ledger';
import { runPlan } from '../remediation/run-plan';
import { runRemediationStep } from '../remediation/run-remediation-step';
import { planPorts } from '../remediation/run-verdict-actions';
import { deliveryDeps, type VerdictActionsDeps } from '../remediation/verdict-actions-deps';
import { loadVersionContext, rethrowClassified, type VersionContext } from '../remediation/version-context';
import { recordPageOpen } from '../remediation/version-pages';
import { versionStateOf } from '../remediation/version-state';
import { isHeldByPerson, setRegionalExclusion } from './regional-actions';
import { readRollout, updateRollout } from './rollout-ledger';
import {
  nextRolloutStep,
  promoted,
  regionsToExclude,
  stopped,
  type ReplicationStates,
  type Rollout,
} from './rollout-plan';
import { rolloutSummary } from './rollout-summary';

type Loaded = Extract<VersionContext, { kind: 'ok' }>;

/**
 * Per-region replication as the gallery reports it with $expand=ReplicationStatus:
 * properties.replicationStatus.summary[] of RegionalReplicationStatus {region, state: Unknown |
 * Replicating | Completed | Failed, details, progress} (azure-rest-api-specs GalleryRP
 * galleryImageVersion ReplicationStatus; @azure/arm-compute RegionalReplicationStatus). A version that
 * reports no summary but has provisioned counts as replicated, as the validation run reads it.
 */
export function replicationStates(version: GalleryImageVersion): ReplicationStates {
  const summary = version.replicationStatus?.summary ?? [];
  const out: Record<string, string | undefined> = {};
  if (summary.length === 0 && version.provisioningState === 'Succeeded') {
    for (const r of version.publishingProfile?.targetRegions ?? []) out[regionKey(r.name)] = 'Completed';
  }
  for (const s of summary) if (s.region !== undefined) out[regionKey(s.region)] = s.state;
  return out;
}

async function readWithReplication(context: Loaded): Promise<GalleryImageVersion> {
  const { ref, target } = context;
  return target.compute.galleryImageVersions.get(ref.resourceGroup, ref.gallery, ref.image, ref.version, {
    expand: 'ReplicationStatus',
  });
}

/** One step of the rollout, once per run (its action row), like every remediation step. */
async function runStep(
  deps: VerdictActionsDeps,
  context: Loaded,
  rollout: Rollout,
  action: RemediationAction<unknown>,
  now: Date,
  log: Logger,
): Promise<StepSummary> {
  return runRemediationStep(
    context.target,
    action,
    action.validate(undefined),
    { now, record: context.stored.record },
    {
      runId: rollout.runId,
      maxAttempts: deps.config.remediation.maxAttempts,
      now,
      clock: deps.clock,
      ...(deps.config.authorization ? { authorization: deps.config.authorization } : {}),
    },
    deps.remediationTable,
    log,
  );
}

/** The rollout stopped: exclude what must stay out of latest, and mark the version quarantined. */
async function applyStop(
  deps: VerdictActionsDeps,
  context: Loaded,
  after: Rollout,
  failed: boolean,
  now: Date,
  log: Logger,
): Promise<void> {
  const effect = { runId: after.runId, now, actor: 'gallery-guard' };
  const rollBack = failed && deps.config.remediation.rollout.onFailure === 'roll-back';
  if (rollBack) {
    // Every region out again: the same quarantine a failed version gets in gate mode.
    await runPlan(
      deps.plan.gate.Failed,
      context.stored.record,
      effect,
      planPorts(deps, context, after.runId, now, log),
    );
    return;
  }
  const exclude = setRegionalExclusion('rollout-stop', regionsToExclude(after), true);
  await runStep(deps, context, after, exclude, now, log);
  // Kept regions stay promoted, but the version is quarantined: no later pass promotes the rest.
  if (failed)
    await updateRecord(deps.remediationTable, context.ref.key, (r) => ({
      ...r,
      quarantinedRunId: after.runId,
    }));
}

/** Promotes the version everywhere it rolled out: lifts the version-wide flag it was published with. */
async function applyComplete(
  deps: VerdictActionsDeps,
  context: Loaded,
  rollout: Rollout,
  now: Date,
  log: Logger,
): Promise<void> {
  const action = remediationAction('promote');
  const step = await runStep(deps, context, rollout, action, now, log);
  const effect = { runId: rollout.runId, now, actor: 'gallery-guard' };
  await updateRecord(deps.remediationTable, context.ref.key, (r) => action.settle?.(r, step, effect) ?? r);
}

async function notifyRollout(
  deps: VerdictActionsDeps,
  context: Loaded,
  rollout: Rollout,
  log: Logger,
): Promise<void> {
  const { report } = rollout;
  const failed = rollout.regions.some((r) => r.state === 'failed');
  const page: VerdictPage = failed
    ? { kind: 'trigger', alarm: { eventClass: 'version-failed', severity: context.policy.severity } }
    : { kind: 'none' };
  const notified = await notifyVerdict(
    deliveryDeps(deps),
    deps.config.notify,
    {
      notice: {
        report,
        ref: context.ref,
        mode: 'gate',
        owner: context.policy.owner,
        actionTaken: rolloutSummary(rollout),
        warnings: context.policy.warnings,
        rollout: rollout.regions,
      },
      teamsWebhook: context.policy.teamsWebhook,
      page,
    },
    log,
  );
  if (failed && notified.pageDelivered) await recordPageOpen(deps, context.ref.key, true);
}

/**
 * Advances a regional rollout as far as it can go now: hold every region, then promote region by
 * region while each is validated, replicated and past its soak; stop at the first region that failed.
 * Level-triggered: everything is decided from the stored rollout and a fresh read of the version, so
 * the verdict, a redrive timer or a retry after a crash can call it at any time; it never sleeps (a
 * wait is written as nextCheckAt for the timer). Throws TransientActionError to be retried.
 */
export async function advanceRollout(
  deps: VerdictActionsDeps,
  versionId: string,
  runId: string,
  logger: Logger,
): Promise<Rollout | undefined> {
  const log = logger.child({ versionId, runId, rollout: true });
  const context = await loadVersionContext(deps, versionId, log);
  if (context.kind !== 'ok') return undefined;
  const { key } = context.ref;
  const table = deps.remediationTable;
  try {
    let rollout = await readRollout(table, key, runId);
    // Bounded: each pass promotes one region or ends; a few more for hold, stop and complete.
    for (let pass = 0; rollout !== undefined && pass < rollout.regions.length + 3; pass++) {
      if (rollout.status !== 'in-progress') break;
      const now = deps.clock();
      const version = await readWithReplication(context);
      if (isHeldByPerson(versionStateOf(version))) {
        log.info('rollout: a person holds the version; stopping without any change');
        rollout = await updateRollout(table, key, runId, (r) =>
          stopped(
            r,
            { kind: 'stop', reason: 'a person holds the version (gallery-guard-hold)' },
            'keep',
            now,
          ),
        );
        break;
      }
      const step = nextRolloutStep(rollout, replicationStates(version), now, {
        soakMinutes: deps.config.remediation.rollout.soakMinutes,
        pollMs: busyRetryMs({ pollIntervalMs: deps.config.pollIntervalMs }),
      });
      log.info('rollout step', { step: step.kind, ...('region' in step ? { region: step.region } : {}) });
      if (step.kind === 'wait') {
        const until = step.until.toISOString();
        rollout = await updateRollout(table, key, runId, (r) => ({ ...r, nextCheckAt: until }));
        break;
      }
      if (step.kind === 'hold-regions') {
        const hold = setRegionalExclusion(
          'rollout-hold',
          rollout.regions.map((r) => r.name),
          true,
        );
        await runStep(deps, context, rollout, hold, now, log);
        rollout = await updateRollout(table, key, runId, (r) => ({ ...r, regionsHeld: true }));
      } else if (step.kind === 'promote') {
        const lift = setRegionalExclusion(`rollout-promote:${step.region}`, [step.region], false);
        const done = await runStep(deps, context, rollout, lift, now, log);
        if (done.outcome === 'refused' || done.outcome === 'failed') {
          rollout = await updateRollout(table, key, runId, (r) =>
            stopped(r, { kind: 'stop', reason: `promotion refused: ${done.reason}` }, 'keep', now),
          );
          break;
        }
        rollout = await updateRollout(table, key, runId, (r) => promoted(r, step.region, now));
      } else if (step.kind === 'stop') {
        const after = stopped(rollout, step, deps.config.remediation.rollout.onFailure, now);
        await applyStop(deps, context, after, step.failedRegion !== undefined, now, log);
        rollout = await updateRollout(table, key, runId, (r) =>
          r.status === 'in-progress' ? stopped(r, step, deps.config.remediation.rollout.onFailure, now) : r,
        );
      } else {
        await applyComplete(deps, context, rollout, now, log);
        rollout = await updateRollout(table, key, runId, (r) => ({
          ...r,
          status: 'completed',
          finishedAt: now.toISOString(),
          nextCheckAt: undefined,
        }));
      }
    }
    if (rollout !== undefined && rollout.status !== 'in-progress' && !rollout.notified) {
      await notifyRollout(deps, context, rollout, log);
      rollout = await updateRollout(table, key, runId, (r) => ({ ...r, notified: true }));
    }
    return rollout;
  } catch (error) {
    if (error instanceof ActionWaitError) {
      const wait = error.retryAfterMs ?? busyRetryMs({ pollIntervalMs: deps.config.pollIntervalMs });
      const until = new Date(deps.clock().getTime() + wait).toISOString();
      log.info('rollout: the version cannot take the write yet; the timer looks again', { until });
      return updateRollout(table, key, runId, (r) => ({ ...r, nextCheckAt: until }));
    }
    return rethrowClassified(error, 'rollout');
  }
}
