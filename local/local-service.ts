import type { Config } from '../shared/config';

/** Environment as the app sees it (app settings). */
export type Env = Record<string, string | undefined>;

/**
 * Something `npm start` runs next to the functions (Azurite, the ARM simulator). `start` returns
 * undefined when the service is not needed (e.g. real Azure storage is configured), otherwise the
 * settings it provides (merged into the app's environment), lines to print, and how to stop it.
 */
export interface LocalService {
  readonly name: string;
  start(env: Env): Promise<StartedLocalService | undefined>;
}

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
  readonly print: (...lines: string[]) => void;
}
