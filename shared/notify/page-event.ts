import { createHash } from 'node:crypto';
import type { PageSeverity } from '../config';

/** A page to on-call, independent of the channel (PagerDuty or the generic webhook). */
export interface PageEvent {
  readonly action: 'trigger' | 'resolve';
  /** One incident per version: the lower-cased version id (hashed if over PagerDuty's 255 chars). */
  readonly dedupKey: string;
  readonly summary: string;
  readonly severity: PageSeverity;
  readonly source: string;
  readonly component?: string;
  readonly group?: string;
  readonly eventClass:
    'version-failed' | 'remediation-failed' | 'run-stuck' | 'configuration-error' | 'resolved';
  readonly timestamp: string;
  readonly details: Readonly<Record<string, unknown>>;
  readonly links: readonly { readonly href: string; readonly text: string }[];
}

export function dedupKeyFor(versionKey: string): string {
  if (versionKey.length <= 255) return versionKey;
  return `gallery-guard:${createHash('sha256').update(versionKey).digest('hex')}`;
}
