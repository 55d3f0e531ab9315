import { isQuarantined } from '../remediation-record';
import type { RemediationAction } from '../remediation-action';
import { regionKey } from '../version-state';
import { paramsValidator } from './params';

const schema = {} as const;

/** A version tag that keeps gallery-guard from ever lifting an exclusion (a person's "hands off"). */
export const HOLD_TAG = 'gallery-guard-hold';

/**
 * Gate mode, Passed: lifts exactly the exclusions the version was published with (recorded on first
 * contact), and nothing else. Flags turned on after first contact were set by a person (or by a
 * quarantine) and stay on; a quarantined or held version is never promoted.
 */
export const promote: RemediationAction<Record<string, never>> = {
  name: 'promote',
  description: 'Gate mode: set excludeFromLatest back to false where the version was published excluded.',
  schema,
  validate: paramsValidator('promote', schema),
  plan: (current, _params, { record }) => {
    if (Object.keys(current.tags).some((t) => t.toLowerCase() === HOLD_TAG)) {
      return { kind: 'refuse', reason: `version carries the ${HOLD_TAG} tag` };
    }
    if (isQuarantined(record)) {
      return {
        kind: 'refuse',
        reason: `quarantined by run ${record.quarantinedRunId ?? ''}; release it explicitly`,
      };
    }
    if (!record.gateHeld) return { kind: 'skip', reason: 'not held by the gate when first seen' };
    const held = new Set(
      record.firstState.regions.filter((r) => r.excludeFromLatest).map((r) => regionKey(r.name)),
    );
    const regions = Object.fromEntries(
      current.regions
        .filter((r) => r.excludeFromLatest && held.has(regionKey(r.name)))
        .map((r) => [regionKey(r.name), false]),
    );
    const lift = record.firstState.excludeFromLatest && current.excludeFromLatest;
    if (!lift && Object.keys(regions).length === 0)
      return { kind: 'skip', reason: 'gate exclusions already lifted' };
    return {
      kind: 'patch',
      patch: { ...(lift ? { excludeFromLatest: false } : {}), regions },
      reason: 'passed validation; lifting the gate',
    };
  },
  settle: (record, step, { runId }) =>
    step.outcome === 'applied' ? { ...record, promotedRunId: runId } : record,
  describe: (step) =>
    step.outcome === 'applied'
      ? 'Promoted: the gate lifted, eligible for latest'
      : `Not promoted: ${step.reason}`,
};
