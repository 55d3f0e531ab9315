import { parsers, readSetting, type Setting } from '../shared/config/setting';

/**
 * Settings only the local runner reads (`npm start`, the demo, the tests' local stack). They live
 * here, not in shared/config: the deployed app never serves its own port or checks function keys
 * (in Azure the Functions host does both), so production configuration does not know them.
 */
export const localSettings = {
  functionKey: {
    name: 'GG_LOCAL_FUNCTION_KEY',
    description:
      'Function key the local runner requires (?code= or x-functions-key). In Azure the host checks keys.',
    secret: true,
    localOnly: true,
    parse: parsers.withDefault('local-dev-key'),
  },
  port: {
    name: 'GG_LOCAL_PORT',
    description:
      'Port npm start serves the functions on (http://localhost:<port>/api); give a second instance another one. gg reads it too.',
    localOnly: true,
    parse: parsers.integer(7071, 1, 65535),
  },
} satisfies Record<string, Setting<unknown>>;

export interface LocalConfig {
  readonly functionKey: string;
  readonly port: number;
}

/** Reads and validates the local runner's settings; a bad value raises ConfigError naming it. */
export function loadLocalConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
): LocalConfig {
  return {
    functionKey: readSetting(localSettings.functionKey, env),
    port: readSetting(localSettings.port, env),
  };
}
