import type { GalleryRef } from '../arm/resource-id';
import { readSetting, ConfigError } from './setting';
import { arm, ingest, local, storage } from './settings';

export { ConfigError } from './setting';
export { allSettings } from './settings';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  readonly storage: { readonly connectionString?: string; readonly accountName?: string };
  readonly arm: { readonly endpoint: string; readonly caCertPath?: string; readonly pollIntervalMs: number };
  readonly ingest: {
    readonly galleryScopes: readonly GalleryRef[];
    readonly auditRetentionDays: number;
    readonly logLevel: LogLevel;
  };
  readonly local: { readonly functionKey: string };
}

type Env = Readonly<Record<string, string | undefined>>;

/** Reads and validates every setting once; throws ConfigError naming the first bad setting. */
export function loadConfig(env: Env = process.env): Config {
  const connectionString = readSetting(storage.connectionString, env);
  const accountName = readSetting(storage.accountName, env);
  if (connectionString === undefined && accountName === undefined) {
    throw new ConfigError(storage.connectionString.name, `set it or ${storage.accountName.name}`);
  }
  const endpoint = readSetting(arm.endpoint, env);
  if (endpoint === undefined) throw new ConfigError(arm.endpoint.name, 'required');
  return {
    storage: { connectionString, accountName },
    arm: {
      endpoint,
      caCertPath: readSetting(arm.caCertPath, env),
      pollIntervalMs: readSetting(arm.pollIntervalMs, env),
    },
    ingest: {
      galleryScopes: readSetting(ingest.galleryScopes, env),
      auditRetentionDays: readSetting(ingest.auditRetentionDays, env),
      logLevel: readSetting(ingest.logLevel, env),
    },
    local: { functionKey: readSetting(local.functionKey, env) },
  };
}
