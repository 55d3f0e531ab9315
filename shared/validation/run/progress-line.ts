import type { ImageVersionRef } from '../../arm/resource-id';
import { phasePosition, type Phase } from './validation-phase';
import type { StepStats } from './validation-state';

const seconds = (ms: number): string => `${(Math.max(ms, 0) / 1000).toFixed(1)} s`;

/** `ubuntu-healthy 1.0.0  AwaitReady → InspectBootLogs  (6/13, 3.2 s)`: one line per transition. */
export function transitionLine(
  version: Pick<ImageVersionRef, 'image' | 'version'>,
  from: Phase,
  to: Phase,
  stats: StepStats | undefined,
): string {
  const { step, of } = phasePosition(from);
  const took =
    stats?.endedAt === undefined
      ? ''
      : `, ${seconds(Date.parse(stats.endedAt) - Date.parse(stats.startedAt))}`;
  return `${version.image} ${version.version}  ${from} → ${to}  (${step}/${of}${took})`;
}

/** `ubuntu-healthy 1.0.0  Passed  (37.5 s since first seen)`: the line that ends a run. */
export function completionLine(
  version: Pick<ImageVersionRef, 'image' | 'version'>,
  outcome: string,
  firstSeenAt: string,
  now: Date,
): string {
  return `${version.image} ${version.version}  ${outcome}  (${seconds(now.getTime() - Date.parse(firstSeenAt))} since first seen)`;
}
