import type { JournalEntry } from '../../../local/arm-sim';

/**
 * Where a SIGKILL landed, read from state the killed app cannot touch any more: Table rows as it left
 * them, the simulator's journal of requests (own process) and the notification sink (the test's
 * process). A kill can land in several places at once (a claimed run with live VMs while another
 * run's card is in flight).
 */
export const LANDINGS = ['claimed', 'vms-live', 'remediation', 'notification', 'none'] as const;
export type Landing = (typeof LANDINGS)[number];

export interface RunRowView {
  readonly versionKey: string;
  readonly runId: string;
  readonly phase: string;
  readonly claimedUntil?: string;
}

export interface ActionRowView {
  readonly versionKey: string;
  readonly runId: string;
  readonly action: string;
  readonly status: string;
}

export interface DeliveryRowView {
  readonly runId: string;
  readonly status: string;
  readonly updatedAt: string;
}

export interface KillObservation {
  /** Wall-clock ms the app process was spawned, and SIGKILLed. */
  readonly startedAt: number;
  readonly killedAt: number;
  /** GG_VALIDATION_CLAIM_SECONDS in ms: a claim's start is claimedUntil minus this. */
  readonly claimMs: number;
  readonly runs: readonly RunRowView[];
  readonly actions: readonly ActionRowView[];
  readonly deliveries: readonly DeliveryRowView[];
  /** Validation VMs the simulator holds after the kill. */
  readonly liveVms: number;
  /** Simulator requests received while this app instance lived. */
  readonly requests: readonly JournalEntry[];
  /** Posts the sink had received and not answered at the instant of the kill. */
  readonly sinkInFlight: number;
  /** The quarantine actions a Failed run's verdict calls for. */
  readonly quarantineActions: readonly string[];
}

const VERSION_PATH = /\/providers\/Microsoft\.Compute\/galleries\/[^/]+\/images\/[^/]+\/versions\/[^/]+$/i;

/** Runs this instance had claimed (claim taken after it started, not expired) and not finished. */
export function claimedRuns(
  o: Pick<KillObservation, 'runs' | 'startedAt' | 'killedAt' | 'claimMs'>,
): RunRowView[] {
  return o.runs.filter((r) => {
    if (r.phase === 'Complete' || r.claimedUntil === undefined) return false;
    const until = Date.parse(r.claimedUntil);
    return until - o.claimMs >= o.startedAt && until > o.killedAt;
  });
}

/**
 * A remediation PATCH this instance sent to a version, whose outcome it had not recorded when it died:
 * the PATCH was unanswered at the kill, or its run still lacked a finished row for a quarantine action.
 */
export function remediationInFlight(o: KillObservation): boolean {
  const finished = new Set(['Applied', 'Skipped', 'Refused', 'Failed']);
  return o.requests.some((request) => {
    if (request.method !== 'PATCH' || !VERSION_PATH.test(request.path)) return false;
    if (request.answeredAt === undefined || request.answeredAt > o.killedAt) return true;
    const versionKey = request.path.toLowerCase();
    const run = o.runs.find((r) => r.versionKey === versionKey);
    if (run === undefined) return false;
    return o.quarantineActions.some(
      (action) =>
        !o.actions.some((a) => a.runId === run.runId && a.action === action && finished.has(a.status)),
    );
  });
}

/** A card or page on the wire at the kill, or a delivery this instance claimed and had not finished. */
export function notificationInFlight(o: KillObservation): boolean {
  return (
    o.sinkInFlight > 0 ||
    o.deliveries.some((d) => d.status === 'Sending' && Date.parse(d.updatedAt) >= o.startedAt)
  );
}

export function landingsOf(o: KillObservation): Landing[] {
  const landed: Landing[] = [];
  if (claimedRuns(o).length > 0) landed.push('claimed');
  if (o.liveVms > 0) landed.push('vms-live');
  if (remediationInFlight(o)) landed.push('remediation');
  if (notificationInFlight(o)) landed.push('notification');
  return landed.length === 0 ? ['none'] : landed;
}
