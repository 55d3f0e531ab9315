import { mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { GuestIdentity } from './guest-identity';
import type { GuestProfile } from './guest-profile';
import { cloudInitStatus, dpkgStatus, ssModel, syntheticInventory } from './synthetic-inventory';

/** Where a synthetic guest keeps the stand-ins for what only a running VM can answer (its sockets). */
export const MODEL_DIR = '.gg-model';

export interface LinuxGuestInput {
  readonly profile: GuestProfile;
  readonly identity: GuestIdentity;
  readonly adminUsername?: string;
  readonly adminSshKeys: readonly string[];
}

const waagentConf = (regenerate: boolean): string =>
  [
    '# Microsoft Azure Linux Agent Configuration',
    'Provisioning.Agent=auto',
    'Provisioning.DeleteRootPassword=y',
    `Provisioning.RegenerateSshHostKeyPair=${regenerate ? 'y' : 'n'}`,
    'Provisioning.SshHostKeyPairType=auto',
    'Provisioning.MonitorHostName=y',
    'ResourceDisk.Format=n',
    'Logs.Verbose=n',
    'OS.EnableFirewall=y',
    'AutoUpdate.Enabled=y',
    '',
  ].join('\n');

const leftoverContent = (path: string, profile: GuestProfile): string => {
  if (path.endsWith('authorized_keys')) {
    return `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBuIlDpKdZ4Z2fOyk3cXq0b5m8w9cHq0cV0rQ0oFq1Xy ${profile.buildUser}@${profile.sourceHostName}\n`;
  }
  if (path.endsWith('.bash_history')) {
    return [
      'sudo apt-get update',
      'sudo apt-get -y upgrade',
      'export BUILD_TOKEN=...',
      'history -c',
      '',
    ].join('\n');
  }
  return 'left over from the image build\n';
};

const passwd = (buildUser: string, admin: string | undefined): string =>
  [
    'root:x:0:0:root:/root:/bin/bash',
    ...[buildUser, admin]
      .filter((u): u is string => u !== undefined && u !== 'root')
      .map((u, i) => `${u}:x:${1000 + i}:${1000 + i}::/home/${u}:/bin/bash`),
    '',
  ].join('\n');

/** Writes the files the gallery-guard check scripts read, as a real VM from this profile would have. */
export async function materialiseLinuxGuestRoot(root: string, input: LinuxGuestInput): Promise<void> {
  const { profile, identity } = input;
  const files: Record<string, string> = {
    'etc/hostname': `${identity.hostName}\n`,
    'etc/machine-id': `${identity.machineId}\n`,
    'etc/os-release': 'NAME="Ubuntu"\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\nID=ubuntu\n',
    'etc/ssh/ssh_host_ed25519_key.pub': `${identity.hostKeys.ed25519}\n`,
    'etc/ssh/ssh_host_rsa_key.pub': `${identity.hostKeys.rsa}\n`,
    'etc/ssh/ssh_host_ecdsa_key.pub': `${identity.hostKeys.ecdsa}\n`,
    'etc/waagent.conf': waagentConf(profile.regenerateSshHostKeys),
    // What a jailed script's id, sudo or ~ need to resolve users.
    'etc/passwd': passwd(profile.buildUser, input.adminUsername),
    'etc/group': 'root:x:0:\nsudo:x:27:\n',
  };
  const inventory = syntheticInventory(profile.inventory);
  files['var/lib/dpkg/status'] = dpkgStatus(inventory.packages);
  files[`${MODEL_DIR}/ss`] = ssModel(inventory.listeners);
  if (profile.provisioningAgent === 'cloud-init') {
    files['var/lib/cloud/data/status.json'] = cloudInitStatus(inventory.bootSeconds);
    files['var/lib/cloud/data/result.json'] = `${JSON.stringify({
      v1: { datasource: 'DataSourceAzure [seed=/dev/sr0]', errors: profile.cloudInitErrors },
    })}\n`;
  }
  for (const leftover of profile.leftovers)
    files[leftover.replace(/^\/+/, '')] = leftoverContent(leftover, profile);
  if (input.adminUsername !== undefined && input.adminSshKeys.length > 0) {
    files[`home/${input.adminUsername}/.ssh/authorized_keys`] = `${input.adminSshKeys.join('\n')}\n`;
  }
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, content);
  }
  await chmod(join(root, MODEL_DIR, 'ss'), 0o755);
  // The jail lends the host's /usr, whose awk is a Debian alternative: point the guest's at it, as a
  // real image's /etc/alternatives does.
  try {
    await mkdir(join(root, 'etc/alternatives'), { recursive: true });
    await symlink(realpathSync('/usr/bin/awk'), join(root, 'etc/alternatives/awk'));
  } catch {
    // no awk on the host, or not an alternative: the host mode runs the host's own
  }
  // Enabled = symlinked into a target's .wants directory, as `systemctl enable` leaves it.
  for (const [dir, names] of Object.entries(inventory.services)) {
    await mkdir(join(root, 'etc/systemd/system', dir), { recursive: true });
    for (const name of names)
      await symlink(
        `/lib/systemd/system/${name}.service`,
        join(root, 'etc/systemd/system', dir, `${name}.service`),
      );
  }
}

/** waagent writes this marker once provisioning has completed. */
export function markProvisioned(root: string): void {
  mkdirSync(join(root, 'var/lib/waagent'), { recursive: true });
  writeFileSync(join(root, 'var/lib/waagent/provisioned'), '');
}
