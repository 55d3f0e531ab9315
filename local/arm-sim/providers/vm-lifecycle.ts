import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { newIdentity, type GuestIdentity } from '../guest/guest-identity';
import { GUEST_PROFILES, type GuestProfile } from '../guest/guest-profile';
import { markProvisioned, materialiseLinuxGuestRoot } from '../guest/linux-guest-root';
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

export async function createRuntime(
  sim: SimState,
  vm: ArmResource,
  resolved: ResolvedImage,
  size: VmSize,
): Promise<VmRuntime> {
  const profile = guestProfileFor(sim, resolved);
  const osProfile = vm.properties.osProfile as Json | undefined;
  const computerName = typeof osProfile?.computerName === 'string' ? osProfile.computerName : vm.name;
  const identity = await identityFor(sim, resolved, profile, computerName);
  const osType = resolved.image.properties.osType === 'Windows' ? 'Windows' : 'Linux';
  let guestRoot: string | undefined;
  if (osType === 'Linux') {
    guestRoot = join(sim.workDir, 'vms', `${vm.name}-${randomUUID().slice(0, 8)}`);
    await mkdir(guestRoot, { recursive: true });
    await materialiseLinuxGuestRoot(guestRoot, {
      profile,
      identity,
      adminSshKeys: sshKeysOf(osProfile),
      ...(typeof osProfile?.adminUsername === 'string' ? { adminUsername: osProfile.adminUsername } : {}),
    });
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
    ...(guestRoot !== undefined ? { guestRoot } : {}),
    booted: false,
    agentReady: false,
    runCommandBusy: false,
  };
}

const timedOut = (vm: VmRuntime): { code: string; message: string } => ({
  code: 'OSProvisioningTimedOut',
  message: `OS Provisioning for VM '${vm.name}' did not finish in the allotted time. The VM may still finish provisioning successfully. Please check provisioning state later. Also, make sure the image has been properly prepared (generalized).\r\n * Instructions for Windows: https://azure.microsoft.com/documentation/articles/virtual-machines-windows-upload-image/ \r\n * Instructions for Linux: https://azure.microsoft.com/documentation/articles/virtual-machines-linux-capture-image/\r\n * If you are deploying more than 20 Virtual Machines concurrently, consider moving your custom image to shared image gallery. Please refer to https://aka.ms/movetosig for more information.`,
});

/**
 * Drives a new VM through boot and OS provisioning on the sim clock: it boots after the profile's
 * boot time; a generalized VM succeeds when its agent reports provisioned, or fails with
 * OSProvisioningTimedOut after 20 minutes; a specialized VM succeeds at boot (no provisioning).
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
  if (fault?.type === 'hang-operation') return;
  sim.scheduler.after(runtime.profile.bootSeconds, () => {
    if (!alive()) return;
    if (fault?.type === 'fail-operation') return fail({ code: fault.code, message: fault.message });
    runtime.booted = true;
    runtime.agentReady = runtime.profile.agentReady && runtime.profile.boot === 'healthy';
    if (runtime.agentReady || runtime.osState === 'Specialized') {
      vm.properties.provisioningState = 'Succeeded';
      sim.lro.succeed(op);
      if (runtime.agentReady && runtime.guestRoot !== undefined && runtime.osState === 'Generalized') {
        markProvisioned(runtime.guestRoot);
      }
      return;
    }
    const remaining = Math.max(0, OS_PROVISIONING_TIMEOUT_SECONDS - runtime.profile.bootSeconds);
    sim.scheduler.after(remaining, () => {
      if (alive() && op.status === 'InProgress') fail(timedOut(runtime));
    });
  });
}
