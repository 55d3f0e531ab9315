import { canJail, realGuestObstacle, type GuestModeSetting, type GuestSupport } from './guest-mode';
import { ensureDebianImages, type DebianImages } from './real/debian-image-cache';

const said = new Set<string>();

/**
 * Decides which guests a simulator boots. 'real' fails loudly when the machine cannot; 'auto' falls
 * back to synthetic guests and says why, once per process; both build the images on first use.
 */
export async function resolveGuests(
  setting: GuestModeSetting,
  notice: (message: string) => void,
): Promise<GuestSupport & { readonly images?: DebianImages }> {
  const synthetic = (reason: string): GuestSupport => ({
    mode: 'synthetic',
    reason,
    isolation: canJail() ? 'namespace' : 'host',
  });
  if (setting === 'synthetic') return synthetic('synthetic guests were asked for');
  const fallBack = (reason: string): GuestSupport => {
    const support = synthetic(reason);
    const message = `real Linux guests unavailable (${reason}); Linux VMs get synthetic guests${support.isolation === 'host' ? ' run on the host (no namespaces here)' : ''}`;
    if (!said.has(message)) {
      said.add(message);
      notice(message);
    }
    return support;
  };
  const obstacle = realGuestObstacle();
  if (obstacle !== undefined) {
    if (setting === 'real') throw new Error(`real guests were asked for, but ${obstacle}`);
    return fallBack(obstacle);
  }
  try {
    const images = await ensureDebianImages({ onProgress: notice });
    return { mode: 'real', isolation: 'namespace', images };
  } catch (error) {
    if (setting === 'real') throw error;
    return fallBack(error instanceof Error ? error.message : String(error));
  }
}
