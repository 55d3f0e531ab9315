import { randomBytes } from 'node:crypto';
import { ArmError, invalidParameter, notFound } from '../arm-error';
import { linuxRunCommandResult, runShellScript } from '../guest/run-shell-script';
import { windowsRunCommandResult } from '../guest/windows-run-command';
import type { VmRuntime } from '../guest/vm-runtime';
import type { ArmResource } from '../resource-store';
import type { RequestContext, Route } from '../router';
import { bodyOf, isObject, ok, scopeOf, type Json } from './common';

const VM =
  '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Compute/virtualMachines/{vmName}';
/** Run Command takes at least this many sim seconds, however fast the script. */
export const RUN_COMMAND_MIN_SECONDS = 20;
const RUN_COMMAND_MAX_SECONDS = 90 * 60;

function needVm(ctx: RequestContext): { vm: ArmResource; runtime: VmRuntime | undefined } {
  const id = `/subscriptions/${ctx.params.subscriptionId!}/resourceGroups/${ctx.params.resourceGroupName!}/providers/Microsoft.Compute/virtualMachines/${ctx.params.vmName!}`;
  const vm = ctx.sim.store.get(id);
  if (!vm)
    throw notFound('Microsoft.Compute/virtualMachines', ctx.params.vmName!, ctx.params.resourceGroupName!);
  return { vm, runtime: ctx.sim.vms.get(vm.id.toLowerCase()) };
}

const status = (code: string, displayStatus: string, extra: Json = {}): Json => ({
  code,
  level: code.includes('/failed') ? 'Error' : 'Info',
  displayStatus,
  ...extra,
});

/** The VM instance view: provisioning and power state, and the guest agent as it reports itself. */
export function instanceView(ctx: RequestContext, vm: ArmResource): Json {
  const runtime = ctx.sim.vms.get(vm.id.toLowerCase());
  const state = String(vm.properties.provisioningState);
  const time = ctx.sim.clock.wallIso();
  const statuses: Json[] = [];
  if (state === 'Failed' && runtime?.failure) {
    statuses.push(
      status(`ProvisioningState/failed/${runtime.failure.code}`, 'Provisioning failed', {
        message: runtime.failure.message,
        time,
      }),
    );
  } else {
    statuses.push(
      status(
        `ProvisioningState/${state.toLowerCase()}`,
        state === 'Succeeded' ? 'Provisioning succeeded' : `Provisioning ${state.toLowerCase()}`,
        { time },
      ),
    );
  }
  if (runtime?.booted) statuses.push(status('PowerState/running', 'VM running'));
  else if (runtime?.failure) statuses.push(status('PowerState/deallocated', 'VM deallocated'));
  else statuses.push(status('PowerState/starting', 'VM starting'));

  const view: Json = {
    hyperVGeneration: runtime?.hyperVGeneration ?? 'V1',
    disks: [
      {
        name: (vm.properties.storageProfile as { osDisk: { name: string } }).osDisk.name,
        statuses: [status('ProvisioningState/succeeded', 'Provisioning succeeded', { time })],
      },
    ],
    bootDiagnostics: {},
    statuses,
  };
  if (runtime?.booted) {
    view.computerName = runtime.identity.hostName;
    view.osName =
      runtime.os?.name ?? (runtime.osType === 'Linux' ? 'ubuntu' : 'Windows Server 2022 Datacenter');
    view.osVersion = runtime.os?.version ?? (runtime.osType === 'Linux' ? '22.04' : '10.0.20348.2227');
    view.vmAgent = runtime.agentReady
      ? {
          vmAgentVersion:
            runtime.agentVersion ?? (runtime.osType === 'Linux' ? '2.10.0.8' : '2.7.41491.1102'),
          statuses: [
            status('ProvisioningState/succeeded', 'Ready', { message: 'Guest Agent is running', time }),
          ],
          extensionHandlers: [],
        }
      : {
          vmAgentVersion: 'Unknown',
          statuses: [
            {
              code: 'ProvisioningState/Unavailable',
              level: 'Warning',
              displayStatus: 'Not Ready',
              message: 'VM status blob is found but not yet populated.',
              time,
            },
          ],
        };
  }
  return view;
}

function requireRunnable(ctx: RequestContext, vm: ArmResource, runtime: VmRuntime | undefined): VmRuntime {
  if (!runtime?.booted || vm.properties.provisioningState === 'Deleting') {
    throw new ArmError(
      409,
      'OperationNotAllowed',
      `Operation 'RunCommand' is not allowed on VM '${vm.name}' since the VM is not running.`,
    );
  }
  if (!runtime.agentReady) {
    throw new ArmError(
      409,
      'VMAgentStatusCommunicationError',
      `VM '${vm.name}' has not reported status for VM agent or extensions. Verify that the OS is up and healthy, the VM has a running VM agent, and that it can establish outbound connections to Azure storage. Please refer to https://aka.ms/vmextensionlinuxtroubleshoot for additional VM agent troubleshooting information.`,
    );
  }
  if (runtime.runCommandBusy) {
    throw new ArmError(
      409,
      'Conflict',
      'Run command extension execution is in progress. Please wait for completion before invoking a run command.',
    );
  }
  return runtime;
}

const runCommandRoute: Route = {
  method: 'POST',
  template: `${VM}/runCommand`,
  operation: 'Microsoft.Compute/virtualMachines/runCommand/action',
  handler: (ctx) => {
    const { vm, runtime: maybe } = needVm(ctx);
    const body = bodyOf(ctx);
    const commandId = typeof body.commandId === 'string' ? body.commandId : '';
    const runtime = requireRunnable(ctx, vm, maybe);
    const expected = runtime.osType === 'Linux' ? 'RunShellScript' : 'RunPowerShellScript';
    if (commandId !== expected) {
      if (commandId === 'RunShellScript' || commandId === 'RunPowerShellScript') {
        throw invalidParameter(
          `Command '${commandId}' is not supported for OS type '${runtime.osType}'.`,
          'commandId',
        );
      }
      throw new ArmError(404, 'NotFound', 'The entity was not found in this Azure location.');
    }
    const script = Array.isArray(body.script) ? body.script.map(String).join('\n') : '';
    const parameters = Array.isArray(body.parameters)
      ? (body.parameters.filter(isObject) as { name?: string; value?: string }[])
      : [];

    runtime.runCommandBusy = true;
    const op = ctx.sim.lro.create(scopeOf(ctx, 'Microsoft.Compute', 'operations', runtime.location, vm.id));
    const fault = ctx.fault;
    let result: unknown;
    let timeUp = false;
    const finish = (): void => {
      if (result === undefined || !timeUp) return;
      runtime.runCommandBusy = false;
      if (fault?.type === 'fail-operation')
        ctx.sim.lro.fail(op, { code: fault.code, message: fault.message });
      else ctx.sim.lro.succeed(op, result);
    };
    if (fault?.type !== 'hang-operation') {
      ctx.sim.scheduler.after(RUN_COMMAND_MIN_SECONDS, () => {
        timeUp = true;
        finish();
      });
      if (runtime.osType === 'Windows') {
        result = windowsRunCommandResult(runtime);
      } else {
        const timeoutMs = Math.min(
          Math.max((RUN_COMMAND_MAX_SECONDS * 1000) / ctx.sim.clock.timeScale, 10_000),
          300_000,
        );
        const seq = runtime.runCommands++;
        void (async () => {
          try {
            return await runShellScript({
              launch: runtime.linux!.launch(seq, parameters),
              script,
              timeoutMs,
              signal: ctx.sim.shutdown,
            });
          } catch (error) {
            return { exitCode: null, stdout: '', stderr: String(error), timedOut: false };
          }
        })().then((outcome) => {
          result = linuxRunCommandResult(outcome);
          finish();
        });
      }
    }
    return { status: 202, headers: ctx.sim.lro.headers(op, ctx.sim.endpoint, true) };
  },
};

const bootDiagnosticsRoute: Route = {
  method: 'POST',
  template: `${VM}/retrieveBootDiagnosticsData`,
  operation: 'Microsoft.Compute/virtualMachines/retrieveBootDiagnosticsData/action',
  handler: (ctx) => {
    const { vm } = needVm(ctx);
    const diagnostics = isObject(vm.properties.diagnosticsProfile) ? vm.properties.diagnosticsProfile : {};
    const boot = isObject(diagnostics.bootDiagnostics) ? diagnostics.bootDiagnostics : {};
    if (boot.enabled !== true) {
      throw new ArmError(409, 'OperationNotAllowed', `Boot diagnostics is not enabled for VM '${vm.name}'.`);
    }
    const minutes = Number(ctx.query.get('sasUriExpirationTimeInMinutes') ?? '120');
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      throw invalidParameter(
        'sasUriExpirationTimeInMinutes must be between 1 and 1440.',
        'sasUriExpirationTimeInMinutes',
      );
    }
    const sig = randomBytes(24).toString('base64url');
    const expires = new Date(Date.now() + minutes * 60_000);
    ctx.sim.blobTokens.set(sig, { vmId: vm.id.toLowerCase(), expiresAtMs: expires.getTime() });
    const vmId = String(vm.properties.vmId);
    const sas = `sv=2019-02-02&sr=b&sp=r&se=${encodeURIComponent(expires.toISOString())}&sig=${sig}`;
    const base = `${ctx.sim.endpoint}/_blob/bootdiagnostics/${vmId}`;
    return ok({
      consoleScreenshotBlobUri: `${base}/${vm.name}.${vmId}.screenshot.bmp?${sas}`,
      serialConsoleLogBlobUri: `${base}/${vm.name}.${vmId}.serialconsole.log?${sas}`,
    });
  },
};

export const vmActionRoutes: Route[] = [
  {
    method: 'GET',
    template: `${VM}/instanceView`,
    operation: 'Microsoft.Compute/virtualMachines/instanceView/read',
    handler: (ctx) => ok(instanceView(ctx, needVm(ctx).vm)),
  },
  runCommandRoute,
  bootDiagnosticsRoute,
];
