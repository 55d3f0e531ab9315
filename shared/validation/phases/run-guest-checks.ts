import { guestChecks } from '../guest/guest-checks';
import {
  GuestReportError,
  parseLinuxReport,
  parseWindowsReport,
  runCommandStderr,
} from '../guest/guest-report';
import { InventoryParseError, parseInventory } from '../../inventory/guest-inventory';
import { linuxCheckScript, WINDOWS_CHECK_SCRIPT } from '../guest/guest-scripts';
import { ownerScriptCheck, wrapOwnerScript } from '../guest/owner-check-scripts';
import type { PhaseFunction, RunView, ValidationContext } from '../run/validation-context';
import type { CheckResult } from '../../verdict/verdict';
import { Phase } from '../run/validation-phase';
import { VmStatus, type ValidationState, type VmRecord } from '../run/validation-state';
import { withChecks, withVm } from '../run/state-helpers';

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
  // The definition's diff policy is set when GG_INVENTORY is on and its gg-inventory tag is not off.
  const inventory = linux && run.state.diffPolicy !== undefined && ctx.inventory !== undefined;
  const ready = run.state.vms.filter((v) => v.status === VmStatus.Ready);
  const pollers = [];
  for (const vm of ready) {
    pollers.push(
      await ctx.compute.virtualMachines.beginRunCommand(
        ctx.options.resourceGroup,
        vm.name,
        {
          commandId: linux ? 'RunShellScript' : 'RunPowerShellScript',
          script: (linux
            ? linuxCheckScript(ctx.options.adminUsername, { inventory })
            : WINDOWS_CHECK_SCRIPT
          ).split('\n'),
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
      const stored = inventory ? await storeInventory(ctx, run, vm, message) : {};
      state = withVm(withChecks(state, checks), { ...vm, status: VmStatus.Checked, report, ...stored });
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
  state = withChecks(state, await runOwnerScripts(ctx, run, ready, image.osType));
  return { next: Phase.CompareIdentities, state };
};

/**
 * Keeps the guest's inventory (the last line of stderr) in the inventory table. A guest that printed
 * none or garbage is noted, never a failed check: the diff then reports it and judges nothing.
 */
async function storeInventory(
  ctx: ValidationContext,
  run: RunView,
  vm: VmRecord,
  message: string,
): Promise<Pick<VmRecord, 'inventoried' | 'inventoryProblem'>> {
  try {
    const inventory = parseInventory(runCommandStderr(message));
    if (inventory === undefined) return { inventoryProblem: 'the guest printed no inventory line' };
    await ctx.inventory?.put({
      versionId: run.versionId,
      region: vm.region,
      runId: run.runId,
      vmName: vm.name,
      collectedAt: ctx.clock().toISOString(),
      inventory,
    });
    return { inventoried: true };
  } catch (error) {
    if (!(error instanceof InventoryParseError)) throw error;
    return { inventoryProblem: error.message };
  }
}

/** The owner check scripts the definition's policy names, on every Ready VM of a matching OS. */
async function runOwnerScripts(
  ctx: ValidationContext,
  run: RunView,
  vms: readonly VmRecord[],
  osType: 'Linux' | 'Windows',
): Promise<CheckResult[]> {
  const checks: CheckResult[] = [];
  for (const name of run.state.checkScripts ?? []) {
    const script = ctx.options.checkScripts[name];
    if (script === undefined) {
      checks.push({
        name: `owner-script:${name}`,
        status: 'Inconclusive',
        reason: 'no such script in GG_CHECK_SCRIPTS',
      });
      continue;
    }
    if (script.osType !== osType) {
      checks.push({
        name: `owner-script:${name}`,
        status: 'Skipped',
        reason: `written for ${script.osType}`,
      });
      continue;
    }
    for (const vm of vms) {
      const result = await ctx.compute.virtualMachines.runCommand(
        ctx.options.resourceGroup,
        vm.name,
        {
          commandId: osType === 'Linux' ? 'RunShellScript' : 'RunPowerShellScript',
          script: wrapOwnerScript(script).split('\n'),
        },
        { updateIntervalInMs: ctx.options.runCommandPollMs },
      );
      const message = result.value?.map((v) => v.message ?? '').join('\n') ?? '';
      checks.push(ownerScriptCheck(name, message, { region: vm.region, vmName: vm.name }));
    }
  }
  return checks;
}
