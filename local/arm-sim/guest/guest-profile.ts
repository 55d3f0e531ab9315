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
};

export const GUEST_PROFILES = {
  healthyLinux: base,
  clonedLinux: {
    ...base,
    identity: 'cloned',
    sourceHostName: 'ubuntu-golden-build',
    buildUser: 'builder',
    regenerateSshHostKeys: false,
    leftovers: ['root/.bash_history', 'home/builder/.bash_history', 'home/builder/.ssh/authorized_keys'],
  },
  kernelPanic: { ...base, boot: 'kernel-panic', agentReady: false, bootSeconds: 20 },
  agentStuck: { ...base, agentReady: false },
  specializedWindows: {
    ...base,
    bootSeconds: 180,
    identity: 'cloned',
    sourceHostName: 'WIN-GOLDEN01',
    buildUser: 'Administrator',
    leftovers: [],
  },
  healthyWindows: { ...base, bootSeconds: 180, sourceHostName: 'WIN-BUILD01', buildUser: 'packer' },
} satisfies Record<string, GuestProfile>;

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
  if (p.leftovers.some((l) => l.split(/[\\/]/).includes('..')))
    throw new TypeError('leftovers must not contain ..');
  return p;
}
