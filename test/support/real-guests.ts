import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { realGuestObstacle } from '../../local/arm-sim/guest/guest-mode';
import {
  DEFAULT_DEBIAN_MIRROR,
  ensureDebianImages,
  guestCacheRoot,
} from '../../local/arm-sim/guest/real/debian-image-cache';
import { recipeHashes } from '../../local/arm-sim/guest/real/debian-image-recipe';

/** The first build of the images on a 2-core machine takes minutes; later runs find them cached. */
export const IMAGE_BUILD_TIMEOUT_MS = 20 * 60_000;

function obstacle(): string | undefined {
  const machine = realGuestObstacle();
  if (machine !== undefined) return machine;
  if (existsSync(join(guestCacheRoot(), `images-${recipeHashes(DEFAULT_DEBIAN_MIRROR).layers}`, 'ready')))
    return undefined;
  const host = new URL(DEFAULT_DEBIAN_MIRROR).hostname;
  const dns = spawnSync('getent', ['hosts', host], { stdio: 'ignore', timeout: 5000 });
  return dns.status === 0 ? undefined : `the images are not cached and ${host} does not resolve`;
}

/**
 * describe() for suites that boot real guests. Where the machine cannot, the suite reports itself
 * skipped with the reason (a todo entry), unless GG_REQUIRE_REAL_GUESTS=1 (CI), which fails instead.
 * The suite's beforeAll should await prepareRealGuests() so the image build has its own timeout.
 */
export function describeWithRealGuests(name: string, body: () => void): void {
  const reason = obstacle();
  if (reason === undefined) {
    describe(name, body);
    return;
  }
  if (process.env.GG_REQUIRE_REAL_GUESTS === '1') {
    throw new Error(`GG_REQUIRE_REAL_GUESTS=1, but real Linux guests cannot run here: ${reason}`);
  }
  process.stderr.write(`real-guest suite "${name}" skipped: ${reason}\n`);
  describe(name, () => {
    it.todo(`skipped, real Linux guests cannot run here: ${reason}`);
  });
}

/** Builds (or finds) the cached images before a suite starts simulators that boot them. */
export async function prepareRealGuests(): Promise<void> {
  await ensureDebianImages({ onProgress: (line) => process.stderr.write(`[real guests] ${line}\n`) });
}
