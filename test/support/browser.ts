import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's `chromium` package (.ci/run installs it); GG_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.GG_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Why browser tests cannot run here, or undefined when they can. With GG_REQUIRE_BROWSER=1 (.ci/run
 * sets it) a missing browser fails the suite instead of skipping it.
 */
export function browserUnavailable(): string | undefined {
  if (existsSync(CHROMIUM_PATH)) return undefined;
  const reason = `${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install -y chromium), as .ci/run does`;
  if (process.env.GG_REQUIRE_BROWSER === '1') throw new Error(`GG_REQUIRE_BROWSER=1, but ${reason}`);
  return reason;
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
export async function launchHeadlessChromium(
  options: { readonly extraHTTPHeaders?: Readonly<Record<string, string>> } = {},
): Promise<HeadlessBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'gg-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    viewport: { width: 1366, height: 900 },
    ...(options.extraHTTPHeaders === undefined ? {} : { extraHTTPHeaders: { ...options.extraHTTPHeaders } }),
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
