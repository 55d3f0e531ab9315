import { az } from '../fix-commands';
import { latestRegionsOf, type AuditContext } from '../audit-context';
import { replicasIn } from '../../gallery/latest-version';
import { RuleId, Severity, type Finding } from '../finding';

/**
 * low-replica-count: what `latest` resolves to in a region has fewer replicas there than
 * GG_AUDIT_MIN_REGIONAL_REPLICAS. Azure's guidance
 * (learn.microsoft.com/azure/virtual-machines/azure-compute-gallery#scaling and #best-practices):
 * one replica per 20 VMs created concurrently, one per scale set created concurrently, and a minimum
 * of 3 replicas for production images; a single replica throttles scale-set deployments.
 */
export function replicaRules(ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const min = ctx.settings.minRegionalReplicas;
  for (const definition of ctx.definitions) {
    const seen = new Set<string>();
    for (const version of definition.latest.values()) {
      if (seen.has(version.id)) continue;
      seen.add(version.id);
      const low = latestRegionsOf(definition, version)
        .map((region) => ({ region, replicas: replicasIn(version, region) }))
        .filter((r) => r.replicas < min);
      if (low.length === 0) continue;
      findings.push({
        rule: RuleId.LowReplicaCount,
        severity: low.some((r) => r.replicas <= 1) ? Severity.Medium : Severity.Low,
        resourceId: version.id,
        detail: '',
        ...definition.ownership,
        reason: `${definition.definition.name} ${version.name} is latest with ${low.map((r) => `${r.replicas} replica(s) in ${r.region}`).join(', ')}; the guidance is at least ${min} for scale sets`,
        evidence: {
          replicas: low.map((r) => `${r.region}=${r.replicas}`),
          minimum: min,
        },
        fix: az.targetRegions(
          version.id,
          (version.publishingProfile?.targetRegions ?? []).map((r) =>
            r.name.toLowerCase().replace(/\s+/g, ''),
          ),
          min,
        ),
      });
    }
  }
  return findings;
}
