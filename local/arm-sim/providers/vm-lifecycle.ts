import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { newIdentity, type GuestIdentity } from '../guest/guest-identity';
import { GUEST_PROFILES, type GuestProfile } from '../guest/guest-profile';
import type { LinuxGuest } from '../guest/linux-guest';
import { markProvisioned, materialiseLinuxGuestRoot } from '../guest/linux-guest-root';
import { agentReady, provisioned } from '../guest/real/boot-facts';
import type { RealImage } from '../guest/real/debian-image-recipe';
import type { ProvisioningInput } from '../guest/real/nocloud-seed';
import { RealLinuxGuest } from '../guest/real/real-linux-guest';
import { SyntheticLinuxGuest } from '../guest/synthetic-linux-guest';
import type { VmRuntime } from '../guest/vm-runtime';
import type { FaultEffect } from '../faults';
import type { AsyncOperation } from '../lro';
import type { ArmResource } from '../resource-store';
import type { SimState } from '../sim-state';
import type { VmSize } from '../sizes';
import { isObject, str, type Json } from './common';
import type { ResolvedImage } from './vm-rules';

/** Sim seconds ARM waits for a generalized image's agent to report provisioning before giving up. */
export const OS_PROVISIONING_TIMEOUT_SECONDS = 20 * 60;

export function guestProfileFor(sim: SimState, resolved: ResolvedImage): GuestProfile {
  const osType = String(resolved.image.properties.osType);
  return (
    sim.guestProfiles.get(resolved.version.id.toLowerCase()) ??
    sim.guestProfiles.get(resolved.image.id.toLowerCase()) ??
    (osType === 'Windows' ? GUEST_PROFILES.healthyWindows : GUEST_PROFILES.healthyLinux)
  );
}

/** A generalized, deprovisioned image yields a fresh identity; otherwise the source machine's, every time. */
async function identityFor(
  sim: SimState,
  resolved: ResolvedImage,
  profile: GuestProfile,
  computerName: string,
): Promise<GuestIdentity> {
  const specialized = resolved.image.properties.osState === 'Specialized';
  const linux = resolved.image.properties.osType !== 'Windows';
  if (profile.identity === 'fresh' && !specialized) return newIdentity(computerName, linux);
  const key = `${resolved.version.id.toLowerCase()}|${profile.sourceHostName}`;
  let identity = sim.sourceIdentities.get(key);
  if (!identity) {
    identity = newIdentity(profile.sourceHostName, linux);
    sim.sourceIdentities.set(key, identity);
  }
  return identity;
}

const sshKeysOf = (osProfile: unknown): string[] => {
  if (!isObject(osProfile) || !isObject(osProfile.linuxConfiguration)) return [];
  const ssh = osProfile.linuxConfiguration.ssh;
  if (!isObject(ssh) || !Array.isArray(ssh.publicKeys)) return [];
  return ssh.publicKeys
    .filter(isObject)
    .map((k) => str(k.keyData).trim())
    .filter((k) => k.length > 0);
};

/** The provisioning data Azure hands the guest, from the PUT body's osProfile. */
function provisioningOf(vm: ArmResource): ProvisioningInput {
  const osProfile = isObject(vm.properties.osProfile) ? vm.properties.osProfile : undefined;
  const linux = isObject(osProfile?.linuxConfiguration) ? osProfile.linuxConfiguration : {};
  return {
    instanceId: str(vm.properties.vmId),
    ...(typeof osProfile?.computerName === 'string' ? { computerName: osProfile.computerName } : {}),
    ...(typeof osProfile?.adminUsername === 'string' ? { adminUsername: osProfile.adminUsername } : {}),
    sshPublicKeys: sshKeysOf(osProfile),
    ...(typeof linux.disablePasswordAuthentication === 'boolean'
      ? { disablePasswordAuthentication: linux.disablePasswordAuthentication }
      : {}),
    ...(typeof osProfile?.customData === 'string' ? { customData: osProfile.customData } : {}),
  };
}

/** The real image a Linux VM boots, when this simulator boots real guests and the profile names one. */
const realImageOf = (sim: SimState, osType: string, profile: GuestProfile): RealImage | undefined =>
  osType === 'Linux' && sim.guests.images !== undefined ? profile.realImage : undefined;

export async function createRuntime(
  sim: SimState,
  vm: ArmResource,
  resolved: ResolvedImage,
  size: VmSize,
): Promise<VmRuntime> {
  const profile = guestProfileFor(sim, resolved);
  const osProfile = vm.properties.osProfile as Json | undefined;
  const computerName = typeof osProfile?.computerName === 'string' ? osProfile.computerName : vm.name;
  const osType = resolved.image.properties.osType === 'Windows' ? 'Windows' : 'Linux';
  const realImage = realImageOf(sim, osType, profile);
  const real = realImage !== undefined;
  // A real guest's identity is whatever its boot makes of it; until then it only has its name.
  const identity = real
    ? { hostName: computerName, machineId: '', hostKeys: { ed25519: '', rsa: '', ecdsa: '' }, machineSid: '' }
    : await identityFor(sim, resolved, profile, computerName);
  let linux: LinuxGuest | undefined;
  if (osType === 'Linux' && !real) {
    const guestRoot = join(sim.workDir, 'vms', `${vm.name}-${randomUUID().slice(0, 8)}`);
    await mkdir(guestRoot, { recursive: true });
    await materialiseLinuxGuestRoot(guestRoot, {
      profile,
      identity,
      adminSshKeys: sshKeysOf(osProfile),
      ...(typeof osProfile?.adminUsername === 'string' ? { adminUsername: osProfile.adminUsername } : {}),
    });
    linux = new SyntheticLinuxGuest(guestRoot, identity.hostName, sim.guests.isolation);
  }
  return {
    id: vm.id,
    name: vm.name,
    location: vm.location ?? 'eastus',
    osType,
    osState: resolved.image.properties.osState === 'Specialized' ? 'Specialized' : 'Generalized',
    hyperVGeneration: str(resolved.image.properties.hyperVGeneration, 'V1'),
    vCPUs: size.vCPUs,
    profile,
    identity,
    createdAtMs: sim.clock.elapsedMs(),
    ...(linux !== undefined ? { linux } : {}),
    ...(realImage !== undefined ? { realImage } : {}),
    booted: false,
    agentReady: false,
    runCommandBusy: false,
    runCommands: 0,
  };
}

const timedOut = (vm: VmRuntime): { code: string; message: string } => ({
  code: 'OSProvisioningTimedOut',
  message: `OS Provisioning for VM '${vm.name}' did not finish in the allotted time. The VM may still finish provisioning successfully. Please check provisioning state later. Also, make sure the image has been properly prepared (generalized).\r\n * Instructions for Windows: https://azure.microsoft.com/documentation/articles/virtual-machines-windows-upload-image/ \r\n * Instructions for Linux: https://azure.microsoft.com/documentation/articles/virtual-machines-linux-capture-image/\r\n * If you are deploying more than 20 Virtual Machines concurrently, consider moving your custom image to shared image gallery. Please refer to https://aka.ms/movetosig for more information.`,
});

/**
 * Drives a new VM through boot and OS provisioning: it boots after the profile's boot time (a real
 * guest: once its namespaces are up, then cloud-init runs for real); a generalized VM succeeds when
 * its guest reports provisioned, or fails with OSProvisioningTimedOut 20 sim-minutes after create
 * (never before a real guest's boot has ended: it runs at real speed whatever the time scale); a
 * specialized VM succeeds at boot (no provisioning).
 */
export function startLifecycle(
  sim: SimState,
  vm: ArmResource,
  runtime: VmRuntime,
  op: AsyncOperation,
  fault: FaultEffect | undefined,
): void {
  const alive = (): boolean => sim.vms.get(vm.id.toLowerCase()) === runtime;
  const fail = (error: { code: string; message: string }): void => {
    runtime.failure = error;
    vm.properties.provisioningState = 'Failed';
    sim.lro.fail(op, error);
  };
  const succeed = (): void => {
    vm.properties.provisioningState = 'Succeeded';
    sim.lro.succeed(op);
  };
  const timeOutLater = (): void => {
    const elapsed = (sim.clock.elapsedMs() - runtime.createdAtMs) / 1000;
    sim.scheduler.after(Math.max(0, OS_PROVISIONING_TIMEOUT_SECONDS - elapsed), () => {
      if (alive() && op.status === 'InProgress') fail(timedOut(runtime));
    });
  };
  if (fault?.type === 'hang-operation') return;
  const image = runtime.realImage;
  if (image !== undefined)
    return bootRealGuest(sim, vm, runtime, image, { alive, fail, succeed, timeOutLater, fault });
  sim.scheduler.after(runtime.profile.bootSeconds, () => {
    if (!alive()) return;
    if (fault?.type === 'fail-operation') return fail({ code: fault.code, message: fault.message });
    runtime.booted = true;
    runtime.agentReady = runtime.profile.agentReady && runtime.profile.boot === 'healthy';
    if (runtime.agentReady || runtime.osState === 'Specialized') {
      succeed();
      if (runtime.agentReady && runtime.linux !== undefined && runtime.osState === 'Generalized') {
        markProvisioned(runtime.linux.diskDir);
      }
      return;
    }
    timeOutLater();
  });
}

function bootRealGuest(
  sim: SimState,
  vm: ArmResource,
  runtime: VmRuntime,
  image: RealImage,
  on: {
    alive(): boolean;
    fail(error: { code: string; message: string }): void;
    succeed(): void;
    timeOutLater(): void;
    fault: FaultEffect | undefined;
  },
): void {
  const vmDir = join(sim.workDir, 'vms', `${vm.name}-${randomUUID().slice(0, 8)}`);
  const booting = RealLinuxGuest.boot(vmDir, sim.guests.images!.layers(image), provisioningOf(vm), {
    onRunning: () => {
      if (on.alive()) runtime.booted = true;
    },
    onBooted: (facts) => {
      if (!on.alive()) return;
      const fault = on.fault;
      if (fault?.type === 'fail-operation') return on.fail({ code: fault.code, message: fault.message });
      runtime.identity = { ...runtime.identity, hostName: facts.hostname, machineId: facts.machineId };
      runtime.os = facts.os;
      if (facts.waagentVersion !== undefined) runtime.agentVersion = facts.waagentVersion;
      runtime.agentReady = agentReady(facts, runtime.osState);
      if (runtime.osState === 'Specialized' || provisioned(facts)) on.succeed();
      else on.timeOutLater();
    },
    onFailed: (error) => {
      if (!on.alive()) return;
      on.fail({
        code: 'InternalExecutionError',
        message: `The simulator could not boot the guest: ${error.message}`,
      });
    },
  });
  void booting.then(
    (guest) => {
      runtime.linux = guest;
      if (!on.alive()) void guest.dispose();
    },
    (error: unknown) => {
      if (on.alive())
        on.fail({
          code: 'InternalExecutionError',
          message: `The simulator could not boot the guest: ${String(error)}`,
        });
    },
  );
}
