import type { ImageVersionRef } from '../arm/resource-id';
import { assertTableKey, escapeTableKey } from '../azure/table-key';

/**
 * A run is addressed by the image version (partition: every attempt of a version lives together) and
 * the attempt number (row). Both are derived from the version id alone, so every source that reports
 * the same write computes the same key: that is what makes duplicate deliveries collapse.
 */
export interface RunKey {
  readonly partitionKey: string;
  readonly rowKey: string;
}

export const MAX_ATTEMPT = 9999;

/** `sub|rg|gallery|image|version`, lower-cased (ARM ids are case-insensitive), each part escaped. */
export function versionPartitionKey(version: ImageVersionRef): string {
  const parts = [
    version.subscriptionId,
    version.resourceGroup,
    version.gallery,
    version.image,
    version.version,
  ];
  return assertTableKey(parts.map((p) => escapeTableKey(p.toLowerCase())).join('|'));
}

export function attemptRowKey(attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPT) {
    throw new RangeError(`Attempt must be a whole number from 1 to ${MAX_ATTEMPT}, got ${attempt}`);
  }
  return String(attempt).padStart(4, '0');
}

export function runKeyOf(version: ImageVersionRef, attempt: number): RunKey {
  return { partitionKey: versionPartitionKey(version), rowKey: attemptRowKey(attempt) };
}

/** The run id used in logs, queue messages and verdicts: `<partitionKey>/<rowKey>` ('/' never occurs in keys). */
export function runIdOf(key: RunKey): string {
  return `${key.partitionKey}/${key.rowKey}`;
}

export function parseRunId(runId: string): RunKey {
  const slash = runId.lastIndexOf('/');
  if (slash <= 0 || slash === runId.length - 1) throw new Error(`Not a run id: "${runId.slice(0, 200)}"`);
  return {
    partitionKey: assertTableKey(runId.slice(0, slash)),
    rowKey: assertTableKey(runId.slice(slash + 1)),
  };
}
