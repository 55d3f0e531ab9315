import { latestPerRegion } from '../../gallery/latest-version';
import { summariseDiff, type ChangesSummary } from '../../inventory/changes-summary';
import { evaluateDiffRules, type DiffFinding } from '../../inventory/diff-rules';
import { diffInventories, type InventoryDiff } from '../../inventory/inventory-diff';
import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { withChecks } from '../run/state-helpers';
import type { CheckResult } from '../../verdict/verdict';

/**
 * Diffs each tested region's inventory against the baseline: what `latest` resolves to there NOW,
 * resolved as Azure does (highest SemVer not excluded from latest, the regional flag winning),
 * leaving out the version under test. One list call for the definition's versions, then table reads.
 * Applies the definition's diff policy: failing rules fail the version, warn-only ones are reported.
 * Missing data (no baseline, no stored inventory, no boot figure) skips rules, never fails them.
 * Windows guests report no inventory (not covered): the phase passes them through.
 */
export const compareInventory: PhaseFunction = async (ctx, run) => {
  const { state } = run;
  const store = ctx.inventory;
  const policy = state.diffPolicy;
  const image = state.image;
  if (store === undefined || policy === undefined || image?.osType !== 'Linux') {
    return { next: Phase.Decide, state };
  }
  const inventoried = new Set(state.vms.filter((vm) => vm.inventoried === true).map((vm) => vm.region));
  if (inventoried.size === 0) {
    // No guest reported (none Ready, or Windows): nothing to compare, and no ARM call for the baseline.
    const reason = 'no guest of this version reported an inventory; nothing compared';
    const checks = (state.regions ?? []).map((region) => ({ name: 'diff:baseline', status: 'Skipped' as const, reason, region }));
    return { next: Phase.Decide, state: withChecks(state, checks) };
  }
  const { subscriptionId, resourceGroup, gallery } = run.version;
  const versions = [];
  for await (const v of ctx
    .galleryCompute(subscriptionId)
    .galleryImageVersions.listByGalleryImage(resourceGroup, gallery, image.definition)) {
    if (v.name !== undefined && v.name.toLowerCase() !== run.version.version.toLowerCase())
      versions.push({ ...v, name: v.name });
  }
  const latest = latestPerRegion(versions);
  const diffs: InventoryDiff[] = [];
  const findings: DiffFinding[] = [];
  for (const region of state.regions ?? []) {
    const mine = inventoried.has(region) ? await store.get(run.versionId, region, run.runId) : undefined;
    if (mine === undefined) {
      findings.push({ rule: 'baseline', status: 'Skipped', region, reason: 'this version gave no inventory in the region; nothing compared' });
      continue;
    }
    const baseline = latest.get(region);
    const stored = baseline?.id === undefined ? undefined : await store.latest(baseline.id, region);
    const diff: InventoryDiff =
      baseline === undefined
        ? { kind: 'no-baseline', region, reason: `no other version resolves as latest in ${region}` }
        : stored === undefined
          ? { kind: 'no-baseline', region, reason: `latest in ${region} is ${baseline.name}, which has no stored inventory` }
          : diffInventories(region, mine.inventory, { version: baseline.name, inventory: stored.inventory });
    await store.putDiff(run.versionId, run.runId, diff);
    diffs.push(diff);
    findings.push(...evaluateDiffRules(diff, mine.inventory, policy));
  }
  const checks: CheckResult[] = findings.map((f) => ({
    name: `diff:${f.rule}`,
    status: f.status,
    reason: f.reason,
    region: f.region,
    ...(f.evidence === undefined ? {} : { evidence: f.evidence }),
  }));
  const changes: ChangesSummary = {
    regions: diffs.map(summariseDiff),
    warnings: findings.filter((f) => f.warning === true).map((f) => `${f.region}: ${f.reason}`),
  };
  return { next: Phase.Decide, state: { ...withChecks(state, checks), changes } };
}; // prettier-ignore
