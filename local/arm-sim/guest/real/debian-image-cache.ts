import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  BUILD_SCRIPT,
  DEBIAN_PACKAGES,
  DEBIAN_SUITE,
  imageLayers,
  recipeHashes,
  type RealImage,
} from './debian-image-recipe';
import { GUEST_SHELL_LIB } from './guest-shell';

export const DEFAULT_DEBIAN_MIRROR = 'http://deb.debian.org/debian';

export interface DebianImages {
  /** The debootstrap root (shared by recipes with the same packages) and the derived layers. */
  readonly baseDir: string;
  readonly dir: string;
  /** Lower directories of an image, top first. */
  layers(image: RealImage): string[];
}

/** Outside the repository: $GG_SIM_GUEST_CACHE, else the user's cache dir (XDG_CACHE_HOME or ~/.cache). */
export function guestCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.GG_SIM_GUEST_CACHE) return env.GG_SIM_GUEST_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gallery-guard', 'guest-images');
}

const building = new Map<string, Promise<DebianImages>>();

/**
 * The Debian images, built once per recipe and cached. The build runs under `flock` on one lock file
 * in the cache, so parallel processes (jest workers) wait for one build instead of
 * racing; each layer is marked done when it completes, so an interrupted build resumes.
 */
export function ensureDebianImages(
  options: {
    readonly cacheRoot?: string;
    readonly mirror?: string;
    readonly onProgress?: (line: string) => void;
  } = {},
): Promise<DebianImages> {
  const cacheRoot = options.cacheRoot ?? guestCacheRoot();
  const mirror = options.mirror ?? DEFAULT_DEBIAN_MIRROR;
  const hashes = recipeHashes(mirror);
  const baseDir = join(cacheRoot, `base-${hashes.base}`);
  const dir = join(cacheRoot, `images-${hashes.layers}`);
  let promise = building.get(dir);
  if (promise === undefined) {
    promise = build(cacheRoot, baseDir, dir, mirror, options.onProgress);
    building.set(dir, promise);
    promise.catch(() => building.delete(dir));
  }
  return promise;
}

async function build(
  cacheRoot: string,
  baseDir: string,
  dir: string,
  mirror: string,
  onProgress: ((line: string) => void) | undefined,
): Promise<DebianImages> {
  const images: DebianImages = { baseDir, dir, layers: (image) => imageLayers(baseDir, dir, image) };
  if (existsSync(join(dir, 'ready'))) return images;
  await mkdir(join(cacheRoot, 'debs'), { recursive: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'guest-shell.sh'), GUEST_SHELL_LIB);
  await writeFile(join(dir, 'build.sh'), BUILD_SCRIPT);
  const logPath = join(dir, 'build.log');
  const log = createWriteStream(logPath, { flags: 'a' });
  const startedAt = Date.now();
  onProgress?.(`building the real-guest Debian ${DEBIAN_SUITE} images in ${cacheRoot} (once per recipe)`);
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      'flock',
      [
        join(cacheRoot, 'build.lock'),
        'unshare',
        '--mount',
        '--fork',
        'bash',
        join(dir, 'build.sh'),
        baseDir,
        dir,
        mirror,
        join(cacheRoot, 'debs'),
        DEBIAN_SUITE,
        DEBIAN_PACKAGES.join(','),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const forward = (chunk: Buffer): void => {
      log.write(chunk);
      for (const line of chunk.toString().split('\n'))
        if (line.startsWith('== ')) onProgress?.(line.slice(3));
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', resolve);
  });
  await new Promise<void>((resolve) => log.end(resolve));
  if (code !== 0 || !existsSync(join(dir, 'ready'))) {
    const tail = (await readFile(logPath, 'utf8').catch(() => ''))
      .trimEnd()
      .split('\n')
      .slice(-4)
      .join(' | ');
    throw new Error(`the real-guest image build failed (exit ${code ?? 'signal'}; log ${logPath}): ${tail}`);
  }
  onProgress?.(`real-guest images ready after ${Math.round((Date.now() - startedAt) / 1000)} s`);
  return images;
}
