import type { GalleryRef } from '../arm/resource-id';
import { readSetting, ConfigError } from './setting';
import {
  arm,
  audit,
  ingest,
  ingestAuth,
  notify,
  operators,
  remediation,
  storage,
  validation,
  inventory,
  type AuditActionRule,
  type DiffRuleName,
  type OwnerCheckScript,
} from './settings';

export type { AuditActionRule, DiffRuleName, OwnerCheckScript } from './settings';
export { DIFF_RULE_NAMES } from './settings';
export { AUDIT_ACTION_RULES } from './settings';

export { ConfigError } from './setting';
export { allSettings } from './settings';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  readonly storage: {
    readonly connectionString?: string;
    readonly accountName?: string;
    readonly queueServiceUri?: string;
    readonly tableServiceUri?: string;
  };
  readonly arm: { readonly endpoint: string; readonly caCertPath?: string; readonly pollIntervalMs: number };
  /** When the deployment ran and for how long after it new role assignments may still propagate. */
  readonly authorization: { readonly deployedAt?: Date; readonly graceMinutes: number };
  /** Who may lift a quarantine or queue a re-validation: a verified Entra principal with these. */
  readonly operators: {
    readonly appServiceAuth: boolean;
    readonly roles: readonly string[];
    readonly groups: readonly string[];
  };
  readonly ingest: {
    readonly galleryScopes: readonly GalleryRef[];
    readonly auditRetentionDays: number;
    readonly logLevel: LogLevel;
    readonly logFormat: 'auto' | 'json' | 'pretty';
    readonly appInsightsConnectionString?: string;
    /** Entra bearer tokens the webhook senders must present; undefined: the function key alone. */
    readonly entraAuth?: IngestEntraAuth;
  };
  readonly validation: ValidationConfig;
  readonly inventory: InventoryConfig;
  readonly remediation: {
    readonly defaultMode: RemediationMode;
    readonly eolGraceDays: number;
    readonly maxAttempts: number;
    readonly rollout: RolloutConfig;
  };
  readonly audit: AuditConfig;
  readonly notify: {
    readonly teamsDefaultWebhookUrl?: string;
    readonly teamsWebhooks: Readonly<Record<string, string>>;
    readonly pagerdutyRoutingKey?: string;
    readonly pagerdutyEventsUrl: string;
    readonly pagerdutySeverity: PageSeverity;
    readonly oncallWebhookUrl?: string;
    readonly portalUrl: string;
    readonly retryBaseMs: number;
    readonly timeoutMs: number;
  };
}

/** How a webhook sender's Entra token is checked (see shared/events/sender-token.ts). */
export interface IngestEntraAuth {
  readonly tenantId: string;
  readonly audiences: readonly string[];
  /** Where the tenant's signing keys are published (JWKS). */
  readonly jwksUrl: string;
  /** v1.0 (sts.windows.net) and v2.0 (<authority>/<tenant>/v2.0) issuers of that tenant. */
  readonly issuers: readonly string[];
  /** Caller app ids (appid/azp) allowed per webhook. */
  readonly actionGroupAppIds: readonly string[];
  readonly eventGridAppIds: readonly string[];
}

/** Gate mode's promotion: all regions at once, or region by region (shared/rollout). */
export interface RolloutConfig {
  readonly strategy: 'all-at-once' | 'regional';
  /** Regions promoted first, in order (regionKey form). */
  readonly order: readonly string[];
  readonly soakMinutes: number;
  readonly onFailure: 'roll-back' | 'keep';
  /** A roll back sets safetyProfile.allowDeletionOfReplicatedLocations=false on the fallback version. */
  readonly protectPrevious: boolean;
}

export interface ValidationConfig {
  readonly subscriptionId?: string;
  readonly resourceGroup: string;
  /** Region (lower-case, no spaces) → isolated subnet resource id. */
  readonly subnets: Readonly<Record<string, string>>;
  readonly maxVmsPerRegion: number;
  readonly maxVmsPerSubscription: number;
  readonly replicationTimeoutSeconds: number;
  readonly bootTimeoutSeconds: number;
  readonly vmTtlMinutes: number;
  readonly sweepLookbackHours: number;
  readonly unconfirmedWaitMinutes: number;
  readonly pollMs: number;
  readonly slotWaitMs: number;
  readonly infraBackoffMs: number;
  readonly infraRetryBudget: number;
  readonly adminUsername: string;
  readonly claimSeconds: number;
  readonly reconcileGraceMs: number;
  readonly checkScripts: Readonly<Record<string, OwnerCheckScript>>;
}

/** Guest inventory and the defaults of the policy on its diff (tags on a definition override them). */
export interface InventoryConfig {
  readonly enabled: boolean;
  readonly diff: {
    readonly bootRegressionPercent: number;
    readonly bootMinSeconds: number;
    readonly mustHavePackages: readonly string[];
    readonly mustHaveServices: readonly string[];
    readonly newPort: 'fail' | 'warn' | 'off';
    readonly warnOnly: readonly DiffRuleName[];
  };
}

/** The governance audit (shared/audit): schedules, thresholds and the actions switched on. */
export interface AuditConfig {
  readonly schedule: string;
  readonly digestSchedule: string;
  readonly passMaxAgeDays: number;
  readonly stuckHours: number;
  readonly identityFailureThreshold: number;
  readonly minRegionalReplicas: number;
  readonly actions: readonly AuditActionRule[];
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
    storage: {
      connectionString,
      accountName,
      queueServiceUri: readSetting(storage.queueServiceUri, env),
      tableServiceUri: readSetting(storage.tableServiceUri, env),
    },
    arm: {
      endpoint,
      caCertPath: readSetting(arm.caCertPath, env),
      pollIntervalMs: readSetting(arm.pollIntervalMs, env),
    },
    authorization: {
      deployedAt: readSetting(arm.deployedAt, env),
      graceMinutes: readSetting(arm.authorizationGraceMinutes, env),
    },
    operators: {
      appServiceAuth: readSetting(operators.appServiceAuth, env) === 'true',
      roles: readSetting(operators.roles, env),
      groups: readSetting(operators.groups, env),
    },
    ingest: {
      galleryScopes: readSetting(ingest.galleryScopes, env),
      auditRetentionDays: readSetting(ingest.auditRetentionDays, env),
      logLevel: readSetting(ingest.logLevel, env),
      logFormat: readSetting(ingest.logFormat, env),
      appInsightsConnectionString: readSetting(ingest.appInsightsConnectionString, env),
      entraAuth: readIngestEntraAuth(env),
    },
    validation: {
      subscriptionId: readSetting(validation.subscriptionId, env),
      resourceGroup: readSetting(validation.resourceGroup, env),
      subnets: readSetting(validation.subnets, env),
      maxVmsPerRegion: readSetting(validation.maxVmsPerRegion, env),
      maxVmsPerSubscription: readSetting(validation.maxVmsPerSubscription, env),
      replicationTimeoutSeconds: readSetting(validation.replicationTimeoutSeconds, env),
      bootTimeoutSeconds: readSetting(validation.bootTimeoutSeconds, env),
      vmTtlMinutes: readSetting(validation.vmTtlMinutes, env),
      sweepLookbackHours: readSetting(validation.sweepLookbackHours, env),
      unconfirmedWaitMinutes: readSetting(validation.unconfirmedWaitMinutes, env),
      pollMs: readSetting(validation.pollMs, env),
      slotWaitMs: readSetting(validation.slotWaitMs, env),
      infraBackoffMs: readSetting(validation.infraBackoffMs, env),
      infraRetryBudget: readSetting(validation.infraRetryBudget, env),
      adminUsername: readSetting(validation.adminUsername, env),
      claimSeconds: readSetting(validation.claimSeconds, env),
      reconcileGraceMs: readSetting(validation.reconcileGraceMs, env),
      checkScripts: readSetting(validation.checkScripts, env),
    },
    inventory: {
      enabled: readSetting(inventory.enabled, env) === 'on',
      diff: {
        bootRegressionPercent: readSetting(inventory.bootRegressionPercent, env),
        bootMinSeconds: readSetting(inventory.bootMinSeconds, env),
        mustHavePackages: readSetting(inventory.mustHavePackages, env),
        mustHaveServices: readSetting(inventory.mustHaveServices, env),
        newPort: readSetting(inventory.newPort, env),
        warnOnly: readSetting(inventory.warnOnly, env),
      },
    },
    remediation: {
      defaultMode: readSetting(remediation.defaultMode, env),
      eolGraceDays: readSetting(remediation.eolGraceDays, env),
      maxAttempts: readSetting(remediation.maxAttempts, env),
      rollout: {
        strategy: readSetting(remediation.rollout, env),
        order: readSetting(remediation.rolloutOrder, env),
        soakMinutes: readSetting(remediation.rolloutSoakMinutes, env),
        onFailure: readSetting(remediation.rolloutOnFailure, env),
        protectPrevious: readSetting(remediation.rollbackProtectPrevious, env) === 'true',
      },
    },
    audit: {
      schedule: readSetting(audit.schedule, env),
      digestSchedule: readSetting(audit.digestSchedule, env),
      passMaxAgeDays: readSetting(audit.passMaxAgeDays, env),
      stuckHours: readSetting(audit.stuckHours, env),
      identityFailureThreshold: readSetting(audit.identityFailureThreshold, env),
      minRegionalReplicas: readSetting(audit.minRegionalReplicas, env),
      actions: readSetting(audit.actions, env),
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
      timeoutMs: readSetting(notify.timeoutMs, env),
    },
  };
}

/**
 * Issuers per the access token claims reference (learn.microsoft.com/entra/identity-platform/
 * access-token-claims-reference, `iss`): v1.0 tokens come from https://sts.windows.net/<tenant>/,
 * v2.0 tokens from <login endpoint>/<tenant>/v2.0. Keys: <login endpoint>/<tenant>/discovery/v2.0/keys.
 */
function readIngestEntraAuth(env: Env): IngestEntraAuth | undefined {
  const tenantId = readSetting(ingestAuth.tenantId, env);
  const audiences = readSetting(ingestAuth.audiences, env);
  const authority = (readSetting(ingestAuth.authority, env) ?? 'https://login.microsoftonline.com').replace(
    /\/+$/,
    '',
  );
  const actionGroupAppIds = readSetting(ingestAuth.actionGroupAppIds, env);
  const eventGridAppIds = readSetting(ingestAuth.eventGridAppIds, env);
  if (tenantId === undefined) {
    if (audiences.length > 0) {
      throw new ConfigError(ingestAuth.tenantId.name, `required when ${ingestAuth.audiences.name} is set`);
    }
    return undefined;
  }
  if (audiences.length === 0) {
    throw new ConfigError(
      ingestAuth.audiences.name,
      `required with ${ingestAuth.tenantId.name}: the app registration's client id and/or Application ID URI`,
    );
  }
  return {
    tenantId,
    audiences,
    jwksUrl: `${authority}/${tenantId}/discovery/v2.0/keys`,
    issuers: [`https://sts.windows.net/${tenantId}/`, `${authority}/${tenantId}/v2.0`],
    actionGroupAppIds,
    eventGridAppIds,
  };
}
