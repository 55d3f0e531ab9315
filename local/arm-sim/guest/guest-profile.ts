import { REAL_IMAGES, type RealImage } from './real/debian-image-recipe';
import type { InventoryVariant } from './synthetic-inventory';

/**
 * What a VM booted from an image version does. Attached to an image version (admin API or scenario);
 * a version without one inherits its image definition's profile, else a healthy one.
 */
export interface GuestProfile {
  /** Sim seconds from create until the OS is up. */
  readonly bootSeconds: number;
  /** Whether the guest agent ever reports Ready (and, for generalized images, provisioning completes). */
  readonly agentReady: boolean;
  readonly boot: 'healthy' | 'kernel-panic' | 'emergency-mode';
  /** 'fresh': new identity per VM (properly generalized); 'cloned': every VM repeats the source's identity. */
  readonly identity: 'fresh' | 'cloned';
  /** The machine the image was captured from. */
  readonly sourceHostName: string;
  readonly buildUser: string;
  /** waagent's Provisioning.RegenerateSshHostKeyPair. */
  readonly regenerateSshHostKeys: boolean;
  /** cloud-init errors reported in result.json and the serial log. */
  readonly cloudInitErrors: readonly string[];
  /** Files left behind in the image: guest-relative paths on Linux, C:\ paths on Windows. */
  readonly leftovers: readonly string[];
  /** Windows ImageState from HKLM\...\Setup\State. */
  readonly windowsImageState: string;
  /** Linux: which agent provisioned the source (waagent-only images have no cloud-init result.json). */
  readonly provisioningAgent: 'cloud-init' | 'waagent';
  /**
   * The real Debian image this profile stands for where the machine boots real guests; the fields
   * above then describe only the synthetic fallback. Absent: always synthetic (kernel panics, Windows).
   */
  readonly realImage?: RealImage;
  /** Synthetic Linux guests: how this image's packages, services, ports and boot differ from the base. */
  readonly inventory?: InventoryVariant;
}

const base: GuestProfile = {
  bootSeconds: 90,
  agentReady: true,
  boot: 'healthy',
  identity: 'fresh',
  sourceHostName: 'img-build-01',
  buildUser: 'packer',
  regenerateSshHostKeys: true,
  cloudInitErrors: [],
  leftovers: [],
  windowsImageState: 'IMAGE_STATE_COMPLETE',
  provisioningAgent: 'cloud-init',
};

/** What cloud-init 22.4.2 reported for the real broken-cloud-init image (result.json, init stage). */
export const BROKEN_WRITE_FILES_ERROR = `('write-files', OSError('Unknown user or group: "getpwnam(): name not found: \\'app\\'"'))`;

export type GuestProfileName =
  | 'healthyLinux'
  | 'clonedLinux'
  | 'kernelPanic'
  | 'agentStuck'
  | 'brokenCloudInit'
  | 'specializedWindows'
  | 'healthyWindows';

export const GUEST_PROFILES: Readonly<Record<GuestProfileName, GuestProfile>> = {
  healthyLinux: { ...base, realImage: 'generalized' },
  /**
   * Synthetic: a waagent-provisioned image captured without deprovisioning. waagent finds its
   * provisioned marker, warns that the VM id changed and does not provision again, so every VM keeps
   * the source's hostname, host keys and machine-id (azurelinuxagent/pa/provision/default.py,
   * check_provisioned_file). Real: a cloud-init image captured the same way, where cloud-init sets the
   * hostname and regenerates host keys per instance but machine-id and shell history stay.
   */
  clonedLinux: {
    ...base,
    identity: 'cloned',
    sourceHostName: 'ubuntu-golden-build',
    buildUser: 'builder',
    regenerateSshHostKeys: false,
    provisioningAgent: 'waagent',
    leftovers: ['root/.bash_history', 'home/builder/.bash_history', 'home/builder/.ssh/authorized_keys'],
    realImage: 'captured',
  },
  kernelPanic: { ...base, boot: 'kernel-panic', agentReady: false, bootSeconds: 20 },
  agentStuck: { ...base, agentReady: false, realImage: 'no-agent' },
  /** cloud-init's write_files fails on an owner the image lacks (error text from a real boot). */
  brokenCloudInit: {
    ...base,
    cloudInitErrors: [BROKEN_WRITE_FILES_ERROR],
    realImage: 'broken-cloud-init',
  },
  specializedWindows: {
    ...base,
    bootSeconds: 180,
    identity: 'cloned',
    sourceHostName: 'WIN-GOLDEN01',
    buildUser: 'Administrator',
    leftovers: [],
  },
  healthyWindows: { ...base, bootSeconds: 180, sourceHostName: 'WIN-BUILD01', buildUser: 'packer' },
};

/** Validates a partial profile from the admin API and completes it with healthy defaults. */
export function parseGuestProfile(input: unknown, defaults: GuestProfile = base): GuestProfile {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('guest profile must be an object');
  }
  const p = { ...defaults, ...(input as Partial<GuestProfile>) };
  if (!(typeof p.bootSeconds === 'number' && p.bootSeconds >= 0))
    throw new TypeError('bootSeconds must be >= 0');
  if (typeof p.agentReady !== 'boolean') throw new TypeError('agentReady must be a boolean');
  if (!['healthy', 'kernel-panic', 'emergency-mode'].includes(p.boot)) {
    throw new TypeError('boot must be healthy, kernel-panic or emergency-mode');
  }
  if (!['fresh', 'cloned'].includes(p.identity)) throw new TypeError('identity must be fresh or cloned');
  if (typeof p.regenerateSshHostKeys !== 'boolean')
    throw new TypeError('regenerateSshHostKeys must be a boolean');
  for (const key of ['sourceHostName', 'buildUser', 'windowsImageState'] as const) {
    if (typeof p[key] !== 'string' || p[key].length === 0)
      throw new TypeError(`${key} must be a non-empty string`);
  }
  if (!/^[a-z_][a-z0-9_-]*$/i.test(p.buildUser)) throw new TypeError('buildUser must be a plain user name');
  for (const key of ['cloudInitErrors', 'leftovers'] as const) {
    if (!Array.isArray(p[key]) || !p[key].every((s) => typeof s === 'string')) {
      throw new TypeError(`${key} must be an array of strings`);
    }
  }
  if (!['cloud-init', 'waagent'].includes(p.provisioningAgent))
    throw new TypeError('provisioningAgent must be cloud-init or waagent');
  if (p.realImage !== undefined && !(REAL_IMAGES as readonly string[]).includes(p.realImage)) {
    throw new TypeError(`realImage must be one of ${REAL_IMAGES.join(', ')}`);
  }
  if (p.inventory !== undefined) checkInventoryVariant(p.inventory);
  if (p.leftovers.some((l) => l.split(/[\\/]/).includes('..')))
    throw new TypeError('leftovers must not contain ..');
  return p;
}

const NAME = /^[a-z0-9][a-z0-9+.-]{0,99}$/;
const UNIT = /^[A-Za-z0-9:_.@-]{1,100}$/;

function checkInventoryVariant(v: InventoryVariant): void {
  if (typeof v !== 'object' || v === null) throw new TypeError('inventory must be an object');
  for (const [name, version] of Object.entries(v.addPackages ?? {}))
    if (!NAME.test(name) || typeof version !== 'string' || !/^[A-Za-z0-9.+~:-]{1,100}$/.test(version))
      throw new TypeError(`inventory.addPackages: bad package ${name}=${String(version)}`);
  for (const key of ['removePackages', 'enableServices', 'disableServices', 'openPorts'] as const) {
    const list = v[key] ?? [];
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string' && (key === 'openPorts' ? /^(tcp|udp)\/\d{1,5}$/ : key === 'removePackages' ? NAME : UNIT).test(x)))
      throw new TypeError(`inventory.${key} must be a list of ${key === 'openPorts' ? '"tcp/<port>" or "udp/<port>"' : 'names'}`);
  }
  if (v.bootSeconds !== undefined && !(typeof v.bootSeconds === 'number' && v.bootSeconds > 0 && v.bootSeconds < 3600))
    throw new TypeError('inventory.bootSeconds must be a number of seconds');
} // prettier-ignore
