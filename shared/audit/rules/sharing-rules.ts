import { az } from '../fix-commands';
import { runsOf, type AuditContext } from '../audit-context';
import { RuleId, Severity, type Finding } from '../finding';
import { CheckStatus } from '../../verdict/verdict';

/** Identity checks of the engine (shared/validation/guest/identity-comparison): same identity on two VMs. */
const IDENTITY_CHECK = /^(identity-unique|.*-unique)$/;

/**
 * specialized-shared: a specialized image (it keeps the source VM's identity and any credentials on
 * it) sits in a gallery shared directly (sharingProfile.permissions Groups) or with the whole of Azure
 * (Community).
 * identity-failures-repeated: a generalized definition whose versions failed an identity check in at
 * least GG_AUDIT_IDENTITY_FAILURES runs: the build pipeline is not deprovisioning.
 */
export function sharingRules(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const sharing = ctx.inventory.gallery.sharingProfile;
  const permissions = sharing?.permissions ?? 'Private';
  for (const definition of ctx.definitions) {
    const { definition: image, ownership } = definition;
    if (image.osState === 'Specialized' && (permissions === 'Groups' || permissions === 'Community')) {
      findings.push({
        rule: RuleId.SpecializedShared,
        severity: Severity.High,
        resourceId: image.id,
        detail: '',
        ...ownership,
        reason: `specialized image ${image.name} is shared beyond the subscription (${permissions === 'Community' ? 'community gallery' : 'direct sharing'})`,
        evidence: {
          osState: 'Specialized',
          sharingPermissions: permissions,
          sharedWith: (sharing?.groups ?? []).map((g) => `${g.type ?? '?'}:${(g.ids ?? []).length}`),
          ...(sharing?.communityGalleryInfo?.publicNamePrefix === undefined
            ? {}
            : { publicNamePrefix: sharing.communityGalleryInfo.publicNamePrefix }),
        },
        fix: `Move the specialized image to a private gallery, or stop sharing this one: ${az.resetSharing(ctx.inventory.gallery.id)}`,
      });
    }
    if (image.osState !== 'Generalized') continue;
    const failed = definition.versions.flatMap((version) =>
      runsOf(ctx, version)
        .filter((r) =>
          r.state.checks.some((c) => IDENTITY_CHECK.test(c.name) && c.status === CheckStatus.Failed),
        )
        .map((r) => ({ version: version.name, runId: r.run.runId })),
    );
    if (failed.length >= ctx.settings.identityFailureThreshold) {
      findings.push({
        rule: RuleId.IdentityFailuresRepeated,
        severity: Severity.High,
        resourceId: image.id,
        detail: '',
        ...ownership,
        reason: `${failed.length} runs of generalized ${image.name} found VMs sharing an identity: the image is not deprovisioned`,
        evidence: {
          failedRuns: failed.slice(0, 10).map((f) => f.runId),
          versions: [...new Set(failed.map((f) => f.version))].slice(0, 20),
          count: failed.length,
        },
        fix: 'Deprovision before capture (Linux: waagent -deprovision+user or cloud-init clean --machine-id; Windows: sysprep /generalize /oobe), then publish a new version',
      });
    }
  }
  return findings;
}
