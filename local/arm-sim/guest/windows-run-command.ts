import type { VmRuntime } from './vm-runtime';

/**
 * The simulator cannot run PowerShell. A RunPowerShellScript answers with what gallery-guard's
 * Windows check script prints on a real VM: one JSON line of identity and sysprep facts.
 */
export function windowsRunCommandResult(vm: VmRuntime): { value: Record<string, unknown>[] } {
  const stdout = JSON.stringify({
    computerName: vm.identity.hostName,
    machineSid: vm.identity.machineSid,
    imageState: vm.profile.windowsImageState,
    leftovers: vm.profile.leftovers,
  });
  return {
    value: [
      {
        code: 'ComponentStatus/StdOut/succeeded',
        level: 'Info',
        displayStatus: 'Provisioning succeeded',
        message: stdout,
      },
      {
        code: 'ComponentStatus/StdErr/succeeded',
        level: 'Info',
        displayStatus: 'Provisioning succeeded',
        message: '',
      },
    ],
  };
}
