import type { LocalConfig } from './local-config';
import type { Config } from '../shared/config';
import type { ConsoleOutput } from './console-output';

/** Environment as the app sees it (app settings). */
export type Env = Record<string, string | undefined>;

/**
 * Something `npm start` runs next to the functions (Azurite, the ARM simulator). `start` returns
 * undefined when the service is not needed (e.g. real Azure storage is configured), otherwise the
 * settings it provides (merged into the app's environment), lines to print, and how to stop it.
 */
export interface LocalService {
  readonly name: string;
  start(env: Env, context: LocalServiceContext): Promise<StartedLocalService | undefined>;
}

export interface LocalServiceContext {
  /** Where what the service shows a person goes (text, or JSON entries with GG_LOG_FORMAT=json). */
  readonly output: ConsoleOutput;
  /** GG_LOCAL_PORT: instances on different ports keep their data apart. */
  readonly port: number;
}

/** `.azurite`, `.local/arm-sim`, ... for the default port; `<dir>-<port>` for any other instance. */
export function dataDir(base: string, port: number): string {
  return port === DEFAULT_PORT ? base : `${base}-${port}`;
}

export const DEFAULT_PORT = 7071;

export interface StartedLocalService {
  readonly env: Record<string, string>;
  readonly describe: readonly string[];
  /** Runs once the functions are served (e.g. the demo publishing its events). */
  readonly afterStart?: (context: AfterStartContext) => Promise<void>;
  close(): Promise<void>;
}

export interface AfterStartContext {
  readonly runnerUrl: string;
  readonly config: Config;
  readonly local: LocalConfig;
  readonly output: ConsoleOutput;
}
