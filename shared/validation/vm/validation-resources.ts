import { createHash } from 'node:crypto';

/**
 * Names and tags of everything a run creates. Names derive from the run id (plus the VM's slot and
 * size attempt), so a retried step finds what a crashed one created instead of creating it twice.
 */
export const TAGS = {
  /** Marks a resource as created by gallery-guard validation; the orphan sweeper only touches these. */
  purpose: 'gg-purpose',
  run: 'gg-run',
  version: 'gg-version',
  expiresAt: 'gg-expires-at',
} as const;
export const PURPOSE_VALUE = 'validation';

/** Short stable hash of the run id: fits Windows' 15-character computer names and ARM tag limits. */
export function runHash(runId: string): string {
  return createHash('sha256').update(runId).digest('hex').slice(0, 8);
}

/** `gg-<hash8>-<slot><attempt letter>`, e.g. gg-1a2b3c4d-0a: 14 characters, also the computer name. */
export function vmName(runId: string, slot: number, attempt: number): string {
  if (slot < 0 || slot > 9 || attempt < 0 || attempt > 25) throw new RangeError('VM slot 0-9, attempt 0-25');
  return `gg-${runHash(runId)}-${slot}${String.fromCharCode(97 + attempt)}`;
}

export function nicName(vm: string): string {
  return `${vm}-nic`;
}

export function validationTags(runId: string, versionId: string, expiresAt: Date): Record<string, string> {
  return {
    [TAGS.purpose]: PURPOSE_VALUE,
    [TAGS.run]: runHash(runId),
    [TAGS.version]: versionId.slice(-256),
    [TAGS.expiresAt]: expiresAt.toISOString(),
  };
}
