import { parseImageVersionId, ResourceIdError, type ImageVersionRef } from '../arm/resource-id';
import { isInGalleryScope } from '../arm/gallery-scope';
import type { Logger } from '../logging/logger';
import { resolveRemediationPolicy, type RemediationPolicy } from '../policy/remediation-policy';
import { isTransient, statusOf, TransientActionError } from '../azure/action-errors';
import { firstContactRecord } from './remediation-record';
import { insertRecordIfAbsent, readRecord, type StoredRecord } from './remediation-ledger';
import type { ActionTarget } from './remediation-action';
import { readVersion } from './remediation-action';
import type { VerdictActionsDeps } from './verdict-actions-deps';
import { ensureVerdictActionTables } from './verdict-actions-deps';
import { versionStateOf } from './version-state';

export type VersionContext =
  | { readonly kind: 'invalid'; readonly reason: string }
  | { readonly kind: 'out-of-scope'; readonly ref: ImageVersionRef }
  | { readonly kind: 'not-found'; readonly ref: ImageVersionRef }
  | {
      readonly kind: 'ok';
      readonly ref: ImageVersionRef;
      readonly target: ActionTarget;
      readonly policy: RemediationPolicy;
      readonly stored: StoredRecord;
    };

/** Wraps an ARM/Table failure: transient ones become TransientActionError, others are rethrown. */
export function rethrowClassified(error: unknown, what: string): never {
  if (isTransient(error) && !(error instanceof TransientActionError)) {
    throw new TransientActionError(`${what}: transient failure`, { cause: error });
  }
  throw error;
}

export async function readPolicy(deps: VerdictActionsDeps, target: ActionTarget): Promise<RemediationPolicy> {
  const { ref, compute } = target;
  const [definition, gallery] = await Promise.all([
    compute.galleryImages.get(ref.resourceGroup, ref.gallery, ref.image),
    compute.galleries.get(ref.resourceGroup, ref.gallery),
  ]);
  return resolveRemediationPolicy(definition.tags, gallery.tags, {
    defaultMode: deps.config.remediation.defaultMode,
    defaultSeverity: deps.config.notify.pagerdutySeverity,
  });
}

/**
 * Parses and scope-checks the version id, reads its policy, and records the flags found on first
 * contact (insert-if-absent: the earliest reader wins, so later human changes are never mistaken for
 * the state the version was published with). Ingest may call `recordFirstContact` as soon as a version
 * appears; a verdict does it anyway before acting.
 */
export async function loadVersionContext(
  deps: VerdictActionsDeps,
  versionId: string,
  logger: Logger,
): Promise<VersionContext> {
  let ref: ImageVersionRef;
  try {
    ref = parseImageVersionId(versionId);
  } catch (error) {
    if (error instanceof ResourceIdError) {
      logger.error('verdict actions: not an image version id', { error });
      return { kind: 'invalid', reason: error.message };
    }
    throw error;
  }
  if (!isInGalleryScope(deps.config.scopes, ref)) {
    logger.warn('verdict actions: version outside the configured galleries; nothing done', {
      gallery: ref.gallery,
    });
    return { kind: 'out-of-scope', ref };
  }
  const target: ActionTarget = {
    compute: deps.compute(ref.subscriptionId),
    ref,
    pollIntervalMs: deps.config.pollIntervalMs,
  };
  try {
    await ensureVerdictActionTables(deps);
    const policy = await readPolicy(deps, target);
    const existing = await readRecord(deps.remediationTable, ref.key);
    if (existing !== undefined) return { kind: 'ok', ref, target, policy, stored: existing };
    const state = versionStateOf(await readVersion(target));
    const stored = await insertRecordIfAbsent(
      deps.remediationTable,
      ref.key,
      firstContactRecord(versionId, state, policy.mode, deps.clock()),
    );
    return { kind: 'ok', ref, target, policy, stored };
  } catch (error) {
    if (statusOf(error) === 404) {
      logger.warn('verdict actions: version (or its definition/gallery) no longer exists', { error });
      return { kind: 'not-found', ref };
    }
    return rethrowClassified(error, 'reading the version');
  }
}

/** For ingest: record the version's flags as first seen, before anything can act on it. */
export async function recordFirstContact(
  deps: VerdictActionsDeps,
  versionId: string,
  logger: Logger,
): Promise<VersionContext['kind']> {
  return (await loadVersionContext(deps, versionId, logger)).kind;
}

/** Why an operator request cannot act on the version, in the outcome vocabulary release and rollback share. */
export function contextRefusal(context: Exclude<VersionContext, { readonly kind: 'ok' }>): {
  readonly status: 'invalid' | 'out-of-scope' | 'version-not-found';
  readonly reason: string;
} {
  if (context.kind === 'invalid') return { status: 'invalid', reason: context.reason };
  if (context.kind === 'out-of-scope')
    return { status: 'out-of-scope', reason: 'the version is outside the configured galleries' };
  return { status: 'version-not-found', reason: 'no such version' };
}
