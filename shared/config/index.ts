import type { GalleryRef } from '../arm/resource-id';
import { readSetting, ConfigError } from './setting';
import { arm, ingest, local, notify, remediation, storage } from './settings';

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
  readonly remediation: {
    readonly defaultMode: RemediationMode;
    readonly eolGraceDays: number;
    readonly maxAttempts: number;
  };
  readonly notify: {
    readonly teamsDefaultWebhookUrl?: string;
    readonly teamsWebhooks: Readonly<Record<string, string>>;
    readonly pagerdutyRoutingKey?: string;
    readonly pagerdutyEventsUrl: string;
    readonly pagerdutySeverity: PageSeverity;
    readonly oncallWebhookUrl?: string;
    readonly portalUrl: string;
    readonly retryBaseMs: number;
  };
}

export type RemediationMode = 'quarantine' | 'report-only' | 'gate';
export type PageSeverity = 'critical' | 'error' | 'warning' | 'info';

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
    remediation: {
      defaultMode: readSetting(remediation.defaultMode, env),
      eolGraceDays: readSetting(remediation.eolGraceDays, env),
      maxAttempts: readSetting(remediation.maxAttempts, env),
    },
    notify: {
      teamsDefaultWebhookUrl: readSetting(notify.teamsDefaultWebhookUrl, env),
      teamsWebhooks: readSetting(notify.teamsWebhooks, env),
      pagerdutyRoutingKey: readSetting(notify.pagerdutyRoutingKey, env),
      pagerdutyEventsUrl:
        readSetting(notify.pagerdutyEventsUrl, env) ?? 'https://events.pagerduty.com/v2/enqueue',
      pagerdutySeverity: readSetting(notify.pagerdutySeverity, env),
      oncallWebhookUrl: readSetting(notify.oncallWebhookUrl, env),
      portalUrl: readSetting(notify.portalUrl, env) ?? 'https://portal.azure.com',
      retryBaseMs: readSetting(notify.retryBaseMs, env),
    },
  };
}
