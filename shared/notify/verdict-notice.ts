import type { ImageVersionRef } from '../arm/resource-id';
import type { RemediationMode } from '../config';
import type { VerdictReport } from '../verdict/verdict';

/** Everything a human needs to read about one verdict, independent of the channel. */
export interface VerdictNotice {
  readonly report: VerdictReport;
  readonly ref: ImageVersionRef;
  readonly mode: RemediationMode;
  readonly owner?: string;
  /** One sentence: what gallery-guard changed in Azure (or why it did not). */
  readonly actionTaken: string;
  readonly warnings: readonly string[];
  /** Gate mode's regional rollout, in rollout order: one line per region on the card. */
  readonly rollout?: readonly RolloutLine[];
}

/** One region of a regional rollout as the card shows it (shared/rollout owns the meaning). */
export interface RolloutLine {
  readonly name: string;
  readonly state: string;
  readonly verdict?: string;
}

export function portalLink(portalUrl: string, resourceId: string): string {
  return `${portalUrl.replace(/\/+$/, '')}/#resource${resourceId}/overview`;
}
