import type { GuestReport } from './guest-report';
import type { CheckResult } from '../../verdict/verdict';

export interface VmIdentity {
  readonly vmName: string;
  readonly region: string;
  readonly report: GuestReport;
}

/**
 * A generalized image must give every VM its own identity: SSH host keys and machine-id on Linux,
 * machine SID on Windows. Two VMs sharing one means the image was not deprovisioned/sysprepped.
 * Specialized images keep their identity by design, so the check is skipped for them.
 */
export function compareIdentities(
  vms: readonly VmIdentity[],
  osState: 'Generalized' | 'Specialized',
): CheckResult[] {
  if (osState === 'Specialized') {
    return [
      {
        name: 'identity-unique',
        status: 'Skipped',
        reason: 'specialized images keep their identity by design',
      },
    ];
  }
  if (vms.length < 2) {
    return [
      {
        name: 'identity-unique',
        status: 'Inconclusive',
        reason: 'fewer than two VMs reported their identity',
      },
    ];
  }
  const checks: CheckResult[] = [];
  const osType = vms[0]!.report.osType;
  const idName = osType === 'Linux' ? 'machine-id' : 'machine SID';
  const shared = (pick: (r: GuestReport) => string[]): string[] => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const vm of vms) {
      for (const value of pick(vm.report).filter((v) => v.length > 0)) {
        const other = seen.get(value);
        if (other !== undefined && other !== vm.vmName) dupes.push(`${other} = ${vm.vmName}`);
        seen.set(value, vm.vmName);
      }
    }
    return dupes;
  };
  const sameId = shared((r) => [r.machineIdentity]);
  checks.push({
    name: osType === 'Linux' ? 'machine-id-unique' : 'machine-sid-unique',
    status: sameId.length === 0 ? 'Passed' : 'Failed',
    reason:
      sameId.length === 0
        ? `every VM has its own ${idName}`
        : `VMs share one ${idName}: the image was not generalized`,
    evidence: sameId.length === 0 ? undefined : sameId.join('; '),
  });
  if (osType === 'Linux') {
    const sameKeys = shared((r) => Object.entries(r.hostKeys).map(([type, hash]) => `${type}:${hash}`));
    const regen = vms.map((v) => v.report.regenerateHostKeys).find((v) => v !== undefined);
    checks.push({
      name: 'ssh-host-keys-unique',
      status: sameKeys.length === 0 ? 'Passed' : 'Failed',
      reason:
        sameKeys.length === 0
          ? 'every VM generated its own SSH host keys'
          : 'VMs share SSH host keys baked into the image',
      evidence:
        sameKeys.length === 0
          ? undefined
          : `${sameKeys.slice(0, 3).join('; ')}; Provisioning.RegenerateSshHostKeyPair=${regen ?? 'unset'}`,
    });
  }
  return checks;
}
