import type { PhaseFunction } from '../run/validation-context';
import { Phase } from '../run/validation-phase';
import { scanSerialLog } from '../guest/serial-log-signatures';
import { VmStatus, type ValidationState } from '../run/validation-state';
import type { CheckResult } from '../../verdict/verdict';
import { withChecks, withVm } from '../run/state-helpers';
import { excerpt } from '../../verdict/excerpt';

/**
 * Records whether each VM provisioned (agent Ready, with its boot time) and scans its serial console
 * log for known failure signatures; a VM that never became Ready often says why here (kernel panic).
 */
export const inspectBootLogs: PhaseFunction = async (ctx, run) => {
  let state: ValidationState = run.state;
  for (const vm of run.state.vms.filter((v) => !v.bootLogScanned)) {
    const at = { region: vm.region, vmName: vm.name };
    const checks: CheckResult[] = [
      vm.status === VmStatus.ImageFailed
        ? {
            name: 'guest-agent',
            status: 'Failed',
            reason: 'the VM never reported its guest agent Ready',
            evidence: vm.failure,
            ...at,
          }
        : {
            name: 'guest-agent',
            status: 'Passed',
            reason: `guest agent Ready after ${vm.bootSeconds ?? '?'} s`,
            ...at,
          },
    ];
    const data = await ctx.compute.virtualMachines.retrieveBootDiagnosticsData(
      ctx.options.resourceGroup,
      vm.name,
      {
        sasUriExpirationTimeInMinutes: 10,
      },
    );
    const uri = data.serialConsoleLogBlobUri;
    if (uri === undefined) {
      checks.push({
        name: 'boot-log',
        status: 'Inconclusive',
        reason: 'boot diagnostics returned no serial log',
        ...at,
      });
    } else {
      const matches = scanSerialLog(await ctx.fetchSerialLog(uri));
      checks.push(
        matches.length === 0
          ? {
              name: 'boot-log',
              status: 'Passed',
              reason: 'no known failure signature in the serial log',
              ...at,
            }
          : {
              name: 'boot-log',
              status: 'Failed',
              reason: `serial log shows that ${matches.map((m) => m.meaning).join('; ')}`,
              evidence: excerpt(matches.map((m) => m.line).join(' | '), 500),
              ...at,
            },
      );
    }
    state = withVm(withChecks(state, checks), { ...vm, bootLogScanned: true });
  }
  return { next: Phase.RunGuestChecks, state };
};
