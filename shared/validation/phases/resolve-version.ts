import { resolveDiffPolicy } from '../../policy/diff-policy';
import { normaliseRegion, selectRegions, validationPolicyFromTags } from '../../policy/validation-policy';
import { securityTypesFor, type ImageProfile } from '../vm/image-profile';
import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import type { ValidationState } from '../run/validation-state';
import { replicationOutcome } from './await-replication';
import { inconclusive } from '../run/state-helpers';
import { awaitArm, cancelled, readRunVersion } from './version-reader';

/**
 * Reads the version, its definition and gallery: what the image is (OS, generation, architecture,
 * security type, recommended sizes), who owns it and the validation policy from their tags.
 */
export const resolveVersion: PhaseFunction = async (ctx, run) => {
  const read = await readRunVersion(ctx, run);
  if (read.kind === 'gone') return cancelled(run.state, read.reason);
  if (read.kind === 'not-shown') return awaitArm(ctx, run, Phase.Resolve, read.reason);
  const { version } = read;
  // A run that waited for ARM now validates the instance ARM shows (reconcileRun writes it).
  const adopted = run.instanceId === undefined ? { instanceId: read.instanceId } : {};
  const { subscriptionId, resourceGroup, gallery, image } = run.version;
  const client = ctx.galleryCompute(subscriptionId);
  const definition = await client.galleryImages.get(resourceGroup, gallery, image);
  const galleryResource = await client.galleries.get(resourceGroup, gallery);
  // Before anything can change the version (gate promotion trusts these flags). Its reads of the
  // same three resources are answered from the ones just made (same step, see countArmCalls).
  await ctx.recordFirstContact?.(run.versionId);
  const policy = validationPolicyFromTags(definition.tags, galleryResource.tags);
  const inventory = ctx.options.inventory;
  const diff =
    inventory?.enabled === true
      ? resolveDiffPolicy(definition.tags, galleryResource.tags, inventory.diff)
      : undefined;
  const problems = [...policy.problems, ...(diff?.problems ?? [])];
  // Inventory and diff are on when GG_INVENTORY is on and the definition's gg-inventory tag is not off.
  const diffPolicy = diff?.enabled === true ? diff.policy : undefined;
  const generation = definition.hyperVGeneration === 'V1' ? 'V1' : 'V2';
  const feature = definition.features?.find((f) => f.name?.toLowerCase() === 'securitytype')?.value;
  const profile: ImageProfile & { definition: string } = {
    definition: image,
    osType: definition.osType === 'Windows' ? 'Windows' : 'Linux',
    osState: definition.osState === 'Specialized' ? 'Specialized' : 'Generalized',
    hyperVGeneration: generation,
    architecture: definition.architecture === 'Arm64' ? 'Arm64' : 'x64',
    securityTypes: securityTypesFor(feature, generation),
    recommended: {
      vCPUs: definition.recommended?.vCPUs,
      memoryGiB: definition.recommended?.memory,
    },
  };
  const targets = (version.publishingProfile?.targetRegions ?? []).map((t) => normaliseRegion(t.name));
  const targetRegions = targets.length > 0 ? targets : [normaliseRegion(version.location ?? '')];
  const regions = selectRegions(policy.regions, targetRegions, Object.keys(ctx.options.subnets));
  let state: ValidationState = {
    ...run.state,
    image: profile,
    owner: policy.owner,
    policyProblems: problems,
    checkScripts: policy.checkScripts,
    ...(diffPolicy === undefined ? {} : { diffPolicy }),
    targetRegions,
    regions,
    replicationWaitSince: ctx.clock().toISOString(),
  };
  for (const problem of problems) ctx.logger.warn('Validation policy tag ignored', { problem });
  if (regions.length === 0) {
    state = inconclusive(state, `no target region (${targetRegions.join(', ')}) has a validation subnet`);
    return { next: Phase.Decide, state, ...adopted };
  }
  // The version read above already carries the replication status: often there is nothing to wait for.
  return { ...replicationOutcome(ctx, { ...run, state }, version), ...adopted };
};
