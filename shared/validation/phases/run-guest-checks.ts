import { guestChecks } from '../guest-checks';
import { GuestReportError, parseLinuxReport, parseWindowsReport } from '../guest-report';
import { linuxCheckScript, WINDOWS_CHECK_SCRIPT } from '../guest-scripts';
import type { PhaseFunction } from '../validation-context';
import { Phase } from '../validation-phase';
import { VmStatus, type ValidationState } from '../validation-state';
import { withChecks, withVm } from './state-helpers';

/**
 * Runs the check script in each Ready VM through Run Command: starts them all (one request each),
 * waits about as long as a Run Command takes (runCommandPollMs), then collects each result, polling
 * on only if one is slower. Read-only, so a crash in between simply re-runs it on the next attempt.
 * The output carries hashes and paths, never key material or passwords.
 */
export const runGuestChecks: PhaseFunction = async (ctx, run) => {
  let state: ValidationState = run.state;
  const image = run.state.image;
  if (image === undefined) throw new Error('RunGuestChecks before Resolve');
  const linux = image.osType === 'Linux';
  const ready = run.state.vms.filter((v) => v.status === VmStatus.Ready);
  const pollers = [];
  for (const vm of ready) {
    pollers.push(
      await ctx.compute.virtualMachines.beginRunCommand(
        ctx.options.resourceGroup,
        vm.name,
        {
          commandId: linux ? 'RunShellScript' : 'RunPowerShellScript',
          script: (linux ? linuxCheckScript(ctx.options.adminUsername) : WINDOWS_CHECK_SCRIPT).split('\n'),
        },
        { updateIntervalInMs: ctx.options.runCommandPollMs },
      ),
    );
  }
  if (pollers.length > 0) await ctx.delay(ctx.options.runCommandPollMs);
  for (const [i, vm] of ready.entries()) {
    const result = await pollers[i]!.pollUntilDone();
    const message = result.value?.map((v) => v.message ?? '').join('\n') ?? '';
    const at = { region: vm.region, vmName: vm.name };
    try {
      const report = linux ? parseLinuxReport(message) : parseWindowsReport(message);
      const checks = guestChecks(report, { osState: image.osState, computerName: vm.computerName, ...at });
      state = withVm(withChecks(state, checks), { ...vm, status: VmStatus.Checked, report });
    } catch (error) {
      if (!(error instanceof GuestReportError)) throw error;
      state = withVm(
        withChecks(state, [
          {
            name: 'guest-checks',
            status: 'Inconclusive',
            reason: `no usable check output: ${error.message}`,
            ...at,
          },
        ]),
        { ...vm, status: VmStatus.Checked },
      );
    }
  }
  return { next: Phase.CompareIdentities, state };
};
