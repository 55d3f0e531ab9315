import type { ValidationState, VmRecord } from './validation-state';
import type { CheckResult } from '../../verdict/verdict';

/** Adds checks, replacing earlier results of the same check on the same VM (phases may re-run). */
export function withChecks(state: ValidationState, added: readonly CheckResult[]): ValidationState {
  const key = (c: CheckResult): string => `${c.name}|${c.vmName ?? ''}`;
  const replaced = new Set(added.map(key));
  return { ...state, checks: [...state.checks.filter((c) => !replaced.has(key(c))), ...added] };
}

export function withVm(state: ValidationState, vm: VmRecord): ValidationState {
  return { ...state, vms: state.vms.map((v) => (v.slot === vm.slot ? vm : v)) };
}

/** Ends the run Inconclusive: the infrastructure, not the image, kept us from deciding. */
export function inconclusive(state: ValidationState, reason: string): ValidationState {
  return {
    ...withChecks(state, [{ name: 'infrastructure', status: 'Inconclusive', reason }]),
    verdict: 'Inconclusive',
    verdictReason: reason,
  };
}
