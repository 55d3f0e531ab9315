import { spawnSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Which guests the simulator boots for Linux images:
 *  - real: Debian cloud images built with debootstrap, booted with cloud-init in namespaces (needs
 *    Linux, root, debootstrap, unshare/nsenter/flock and overlayfs);
 *  - synthetic: the guest profile's files, Run Command jailed into them with namespaces where the
 *    machine has them, else run on the host with the script's guest paths mapped to them.
 */
export type GuestModeSetting = 'auto' | 'real' | 'synthetic';

export interface GuestSupport {
  readonly mode: 'real' | 'synthetic';
  /** Why real guests are not used (synthetic only). */
  readonly reason?: string;
  /** How synthetic guests run Run Command scripts. */
  readonly isolation: 'namespace' | 'host';
}

/** GG_SIM_GUESTS: auto (default), real or synthetic. */
export function guestModeSetting(env: NodeJS.ProcessEnv = process.env): GuestModeSetting {
  const raw = (env.GG_SIM_GUESTS ?? '').trim().toLowerCase();
  if (raw === '' || raw === 'auto') return 'auto';
  if (raw === 'real' || raw === 'synthetic') return raw;
  throw new Error(`GG_SIM_GUESTS must be auto, real or synthetic, got '${env.GG_SIM_GUESTS ?? ''}'`);
}

const onPath = (tool: string): boolean =>
  [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin']
    .filter((dir) => dir.length > 0)
    .some((dir) => {
      try {
        accessSync(join(dir, tool), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });

/** Why this machine cannot boot real guests, or undefined when it can (network is tried by the build). */
export function realGuestObstacle(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root (namespaces, overlayfs and chroot need it)';
  const missing = ['debootstrap', 'unshare', 'nsenter', 'chroot', 'flock', 'mount'].filter((t) => !onPath(t));
  if (missing.length > 0) {
    return `${missing.join(', ')} not installed${missing.includes('debootstrap') ? ' (apt-get install -y debootstrap)' : ''}`;
  }
  try {
    if (!/\boverlay\b/.test(readFileSync('/proc/filesystems', 'utf8'))) return 'the kernel has no overlayfs';
  } catch {
    return 'cannot read /proc/filesystems';
  }
  return undefined;
}

let namespaces: boolean | undefined;

/** Whether scripts can be jailed into a synthetic guest: root, or unprivileged user namespaces. */
export function canJail(): boolean {
  if (namespaces !== undefined) return namespaces;
  if (process.platform !== 'linux' || !onPath('unshare')) return (namespaces = false);
  const args = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
  const probe = spawnSync('unshare', [...args, '--mount', '--uts', '--pid', '--fork', 'true'], {
    stdio: 'ignore',
    timeout: 5000,
  });
  return (namespaces = probe.status === 0);
}
