import type { PageSeverity } from '../config';
import type { ImageVersionRef } from '../arm/resource-id';
import { dedupKeyFor, type PageEvent } from './page-event';
import { portalLink, type VerdictNotice } from './verdict-notice';

/**
 * Why a verdict pages: the version was quarantined, gallery-guard could not quarantine it, or its own
 * configuration (a missing permission) kept it from validating.
 */
export interface VersionAlarm {
  readonly eventClass: 'version-failed' | 'remediation-failed' | 'configuration-error';
  readonly severity: PageSeverity;
}

/** A run that makes no progress, as the reconciler reports it. */
export interface StuckRunNotice {
  readonly versionId: string;
  readonly runId: string;
  /** Where the run is stuck, e.g. "deploying-vms". */
  readonly phase: string;
  /** When the run last made progress (ISO). */
  readonly since: string;
  readonly detail?: string;
}

// An agent that never became Ready is a symptom; a boot-log or in-guest finding says why, so it leads.
const SYMPTOM_CHECKS: ReadonlySet<string> = new Set(['guest-agent']);

function portal(portalUrl: string, versionId: string): PageEvent['links'] {
  return [{ href: portalLink(portalUrl, versionId), text: 'Image version in the Azure portal' }];
}

export function versionPageEvent(
  notice: VerdictNotice,
  alarm: VersionAlarm,
  at: Date,
  portalUrl: string,
): PageEvent {
  const { report, ref, actionTaken } = notice;
  const failing = report.checks
    .filter((c) => c.status === 'Failed')
    .sort((a, b) => Number(SYMPTOM_CHECKS.has(a.name)) - Number(SYMPTOM_CHECKS.has(b.name)))
    .map((c) => `${c.name}: ${c.reason}`);
  const summary =
    alarm.eventClass === 'version-failed'
      ? `Image ${ref.image} version ${ref.version} failed validation and was quarantined: ${failing[0] ?? 'see details'}`
      : alarm.eventClass === 'configuration-error'
        ? `gallery-guard could not validate ${ref.image} ${ref.version}: a configuration error (missing permission), not the image: ${report.configurationError ?? ''}`.slice(
            0,
            1000,
          )
        : `gallery-guard could not quarantine failed image ${ref.image} version ${ref.version}: ${actionTaken}`;
  return {
    action: 'trigger',
    dedupKey: dedupKeyFor(ref.key),
    summary,
    severity: alarm.severity,
    source: report.versionId,
    component: ref.image,
    group: ref.gallery,
    eventClass: alarm.eventClass,
    timestamp: at.toISOString(),
    details: {
      verdict: report.verdict,
      runId: report.runId,
      actionTaken,
      failingChecks: failing.slice(0, 10),
      regions: report.regions,
    },
    links: portal(portalUrl, report.versionId),
  };
}

export function resolvedPageEvent(versionKey: string, versionId: string, at: Date): PageEvent {
  return {
    action: 'resolve',
    dedupKey: dedupKeyFor(versionKey),
    summary: 'resolved',
    severity: 'info',
    source: versionId,
    eventClass: 'resolved',
    timestamp: at.toISOString(),
    details: {},
    links: [],
  };
}

export function stuckRunPageEvent(
  stuck: StuckRunNotice,
  ref: ImageVersionRef,
  at: Date,
  portalUrl: string,
): PageEvent {
  return {
    action: 'trigger',
    dedupKey: dedupKeyFor(ref.key),
    summary: `gallery-guard run for ${ref.image} ${ref.version} is stuck in ${stuck.phase} since ${stuck.since}`,
    severity: 'warning',
    source: stuck.versionId,
    component: ref.image,
    group: ref.gallery,
    eventClass: 'run-stuck',
    timestamp: at.toISOString(),
    details: {
      runId: stuck.runId,
      phase: stuck.phase,
      since: stuck.since,
      detail: stuck.detail?.slice(0, 500),
    },
    links: portal(portalUrl, stuck.versionId),
  };
}
