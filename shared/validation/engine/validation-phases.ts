import { acquireSlots } from '../phases/acquire-slots';
import { actOnVerdict } from '../phases/act-on-verdict';
import { awaitReady } from '../phases/await-ready';
import { awaitReplication } from '../phases/await-replication';
import { cleanUp } from '../phases/clean-up';
import { compareIdentity } from '../phases/compare-identity';
import { compareInventory } from '../phases/compare-inventory';
import { createVms } from '../phases/create-vms';
import { decide } from '../phases/decide';
import { inspectBootLogs } from '../phases/inspect-boot-logs';
import { planVms } from '../phases/plan-vms';
import { resolveVersion } from '../phases/resolve-version';
import { runGuestChecks } from '../phases/run-guest-checks';
import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';

/** The flat list of phases: the whole workflow at a glance. */
export const PHASES: Readonly<Record<Exclude<Phase, 'Complete'>, PhaseFunction>> = {
  [Phase.Resolve]: resolveVersion,
  [Phase.AwaitReplication]: awaitReplication,
  [Phase.Plan]: planVms,
  [Phase.AcquireSlots]: acquireSlots,
  [Phase.CreateVms]: createVms,
  [Phase.AwaitReady]: awaitReady,
  [Phase.InspectBootLogs]: inspectBootLogs,
  [Phase.RunGuestChecks]: runGuestChecks,
  [Phase.CompareIdentities]: compareIdentity,
  [Phase.CompareInventory]: compareInventory,
  [Phase.Decide]: decide,
  [Phase.CleanUp]: cleanUp,
  [Phase.ActOnVerdict]: actOnVerdict,
};

/** Phases after which a verdict exists; a cancelled run skips to CleanUp unless already there. */
export const AFTER_DECISION: readonly Phase[] = [Phase.CleanUp, Phase.ActOnVerdict, Phase.Complete];
