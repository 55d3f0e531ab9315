import type { GuestReport } from './guest-report';
import type { CheckResult } from '../../verdict/verdict';
import { excerpt } from '../../verdict/excerpt';

export interface GuestCheckContext {
  readonly osState: 'Generalized' | 'Specialized';
  /** The computer name we gave the VM (generalized only). */
  readonly computerName?: string;
  readonly region: string;
  readonly vmName: string;
}

/**
 * Turns one VM's guest report into checks. Identity-derived checks only apply to generalized images:
 * a specialized image keeps its hostname, keys and SID by design.
 */
export function guestChecks(report: GuestReport, ctx: GuestCheckContext): CheckResult[] {
  const at = { region: ctx.region, vmName: ctx.vmName };
  const checks: CheckResult[] = [];
  const generalized = ctx.osState === 'Generalized';

  if (report.osType === 'Linux') {
    if (report.cloudInit === 'errors') {
      checks.push({
        name: 'provisioning-agent',
        status: 'Failed',
        reason: 'cloud-init reported errors while provisioning',
        evidence: report.cloudInitErrors === undefined ? undefined : excerpt(report.cloudInitErrors, 300),
        ...at,
      });
    } else if (report.cloudInit === 'ok' || report.waagentProvisioned) {
      checks.push({
        name: 'provisioning-agent',
        status: 'Passed',
        reason: 'cloud-init/waagent finished provisioning',
        ...at,
      });
    } else {
      checks.push({
        name: 'provisioning-agent',
        status: 'Failed',
        reason: 'neither cloud-init nor waagent recorded a finished provisioning',
        ...at,
      });
    }
  } else if (generalized) {
    const complete = report.imageState === 'IMAGE_STATE_COMPLETE';
    checks.push({
      name: 'sysprep-state',
      status: complete ? 'Passed' : 'Failed',
      reason: complete ? 'setup completed after sysprep' : 'Windows setup did not complete after sysprep',
      evidence: `ImageState=${report.imageState ?? 'unknown'}`,
      ...at,
    });
  }

  const nameCheck = report.osType === 'Linux' ? 'hostname' : 'computer-name';
  if (generalized && ctx.computerName !== undefined) {
    const same = report.hostname.toLowerCase() === ctx.computerName.toLowerCase();
    checks.push({
      name: nameCheck,
      status: same ? 'Passed' : 'Failed',
      reason: same
        ? 'the guest took the name given at deployment'
        : 'the guest kept a name baked into the image',
      evidence: `expected ${ctx.computerName}, guest says ${report.hostname.slice(0, 64)}`,
      ...at,
    });
  }

  if (generalized) {
    const omitted = report.leftoversOmitted ?? 0;
    const clean = report.leftovers.length === 0 && omitted === 0;
    const total = report.leftovers.length + omitted;
    checks.push({
      name: 'leftover-secrets',
      status: clean ? 'Passed' : 'Failed',
      reason: clean
        ? 'no shell history, stray authorized_keys or private keys found'
        : `the image still carries ${total} files that can hold secrets or grant access`,
      evidence: clean
        ? undefined
        : `${report.leftovers.slice(0, 10).join(', ').slice(0, 400)}${total > 10 ? ` (and ${total - Math.min(10, report.leftovers.length)} more${omitted > 0 ? `, ${omitted} not listed by the guest` : ''})` : ''}`,
      ...at,
    });
  }
  return checks;
}
