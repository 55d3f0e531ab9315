import { canJail, realGuestObstacle, type GuestModeSetting, type GuestSupport } from './guest-mode';
import { ensureDebianImages, type DebianImages } from './real/debian-image-cache';

export interface GuestProbes {
  /** Why this machine cannot boot real guests, or undefined. */
  readonly obstacle: () => string | undefined;
  /** Builds (or finds cached) the real-guest images. */
  readonly images: (onProgress: (line: string) => void) => Promise<DebianImages>;
  readonly canJail: () => boolean;
}

const MACHINE: GuestProbes = {
  obstacle: realGuestObstacle,
  images: (onProgress) => ensureDebianImages({ onProgress }),
  canJail,
};

const said = new Set<string>();

/**
 * Decides which guests a simulator boots. 'real' fails loudly when the machine cannot; 'auto' falls
 * back to synthetic guests and says why, once per process; both build the images on first use.
 */
export async function resolveGuests(
  setting: GuestModeSetting,
  notice: (message: string) => void,
  probes: GuestProbes = MACHINE,
): Promise<GuestSupport & { readonly images?: DebianImages }> {
  const synthetic = (reason: string): GuestSupport => ({
    mode: 'synthetic',
    reason,
    isolation: probes.canJail() ? 'namespace' : 'host',
  });
  if (setting === 'synthetic') return synthetic('synthetic guests were asked for');
  const fallBack = (reason: string): GuestSupport => {
    const support = synthetic(reason);
    const where = support.isolation === 'host' ? ', their scripts run on the host (no namespaces here)' : '';
    const message = `real Linux guests unavailable: ${reason}; Linux VMs get synthetic guests${where}`;
    if (!said.has(message)) {
      said.add(message);
      notice(message);
    }
    return support;
  };
  const obstacle = probes.obstacle();
  if (obstacle !== undefined) {
    if (setting === 'real') throw new Error(`real guests were asked for, but ${obstacle}`);
    return fallBack(obstacle);
  }
  try {
    return { mode: 'real', isolation: 'namespace', images: await probes.images(notice) };
  } catch (error) {
    if (setting === 'real') throw error;
    return fallBack(error instanceof Error ? error.message : String(error));
  }
}
