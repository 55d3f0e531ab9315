import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's `chromium` package (.ci/run installs it); GG_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.GG_CHROMIUM ?? '/usr/bin/chromium';

/** Why browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  return existsSync(CHROMIUM_PATH)
    ? undefined
    : `${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium), as .ci/run does`;
}

/** Where tests leave screenshots and timings (git-ignored; CI keeps them as artifacts). */
export const ARTIFACTS = path.resolve(__dirname, '../../test-artifacts');

export function artifactPath(...parts: string[]): string {
  const file = path.join(ARTIFACTS, ...parts);
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

export interface HeadlessBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * The system Chromium, headless, with a fresh profile and nothing that calls home: the page can
 * only reach what the test serves.
 */
export async function launchHeadlessChromium(): Promise<HeadlessBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'gg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
