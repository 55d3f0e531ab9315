import { parseGalleryId, type GalleryRef } from '../arm/resource-id';
import { parsers, type Setting } from './setting';

/**
 * Every app setting gallery-guard reads, in one place. README's configuration table,
 * local.settings.sample.json and the Bicep app settings are checked against this list by tests.
 * Add a setting here (in its concept's section) and to `Config` in ./index.ts; nowhere else reads env.
 */

function galleryScopes(raw: string | undefined): GalleryRef[] {
  if (raw === undefined) throw new Error('required: comma-separated gallery resource ids');
  const ids = raw
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (ids.length === 0) throw new Error('required: at least one gallery resource id');
  return ids.map((id) => parseGalleryId(id));
}

function webhookMap(raw: string | undefined): Readonly<Record<string, string>> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('expected a JSON object of name → URL'); // never echo the raw value: it holds secrets
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('expected a JSON object of name → URL');
  }
  const out: Record<string, string> = {};
  for (const [name, url] of Object.entries(parsed)) {
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url))
      throw new Error(`entry "${name}" is not an http(s) URL`);
    out[name] = url;
  }
  return out;
}

function isoDate(raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) throw new Error(`expected an ISO 8601 date and time, got "${raw}"`);
  return new Date(at);
}

// --- Storage and platform -------------------------------------------------------------------------
export const storage = {
  connectionString: {
    name: 'AzureWebJobsStorage',
    description:
      'Storage connection string (Azurite offline). In Azure leave unset and use AzureWebJobsStorage__accountName (identity-based).',
    secret: true,
    parse: parsers.optional,
  },
  accountName: {
    name: 'AzureWebJobsStorage__accountName',
    description:
      'Storage account name for identity-based access (DefaultAzureCredential); used when no connection string.',
    parse: parsers.optional,
  },
  queueServiceUri: {
    name: 'AzureWebJobsStorage__queueServiceUri',
    description:
      "Queue endpoint of that account (set by the deployment from the account, so it follows the cloud's storage suffix). Default: https://<account>.queue.core.windows.net.",
    parse: parsers.httpsUrl(undefined),
  },
  tableServiceUri: {
    name: 'AzureWebJobsStorage__tableServiceUri',
    description:
      'Table endpoint of that account (set by the deployment, follows the cloud). Default: https://<account>.table.core.windows.net.',
    parse: parsers.httpsUrl(undefined),
  },
} satisfies Record<string, Setting<unknown>>;

export const arm = {
  endpoint: {
    name: 'GG_ARM_ENDPOINT',
    description: 'Azure Resource Manager endpoint. Offline: the ARM simulator URL.',
    parse: parsers.httpsUrl('https://management.azure.com'),
  },
  caCertPath: {
    name: 'GG_ARM_CA_CERT_PATH',
    description:
      'PEM file of a CA to trust for the ARM endpoint (offline simulator only). Also switches to a local token.',
    localOnly: true,
    parse: parsers.optional,
  },
  pollIntervalMs: {
    name: 'GG_ARM_POLL_INTERVAL_MS',
    description: 'Interval between long-running-operation polls, in milliseconds.',
    parse: parsers.integer(2000, 0, 600000),
  },
  deployedAt: {
    name: 'GG_DEPLOYED_AT',
    description:
      'When the deployment last ran (ISO 8601; set by Bicep). ARM authorization failures within GG_AUTHORIZATION_GRACE_MINUTES of it are role propagation: retried, not reported.',
    parse: isoDate,
  },
  authorizationGraceMinutes: {
    name: 'GG_AUTHORIZATION_GRACE_MINUTES',
    description:
      'Minutes after GG_DEPLOYED_AT during which 403 AuthorizationFailed is retried as transient; later it is a configuration error that pages operators.',
    parse: parsers.integer(30, 0, 1440),
  },
} satisfies Record<string, Setting<unknown>>;

// --- Ingest ---------------------------------------------------------------------------------------
export const ingest = {
  galleryScopes: {
    name: 'GG_GALLERY_SCOPES',
    description:
      'Comma-separated resource ids of the galleries gallery-guard may act on. Everything else is ignored.',
    parse: galleryScopes,
  },
  auditRetentionDays: {
    name: 'GG_AUDIT_RETENTION_DAYS',
    description:
      'Days to keep audit rows of received events; rows from older UTC days are deleted daily by the audit-retention timer.',
    parse: parsers.integer(30, 1, 3650),
  },
  logLevel: {
    name: 'GG_LOG_LEVEL',
    description: 'Minimum log level: debug, info, warn or error.',
    parse: parsers.oneOf(['debug', 'info', 'warn', 'error'] as const, 'info'),
  },
  logFormat: {
    name: 'GG_LOG_FORMAT',
    description:
      'Log line format: json (one JSON object per line, for App Insights and pipes), pretty (one readable line) or auto (pretty when stdout is a terminal).',
    parse: parsers.oneOf(['auto', 'json', 'pretty'] as const, 'auto'),
  },
  appInsightsConnectionString: {
    name: 'APPLICATIONINSIGHTS_CONNECTION_STRING',
    description:
      'Application Insights connection string: when set, metrics and logs (with customDimensions) are exported there through OpenTelemetry; unset offline (metrics stay in memory, GET /api/metrics).',
    parse: parsers.optional,
  },
} satisfies Record<string, Setting<unknown>>;

function list(raw: string | undefined): readonly string[] {
  return (raw ?? '')
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

// --- Ingest sender identity (Microsoft Entra tokens on the webhooks) ------------------------------
// First-party app ids of the senders, as their docs publish them: Azure Monitor action groups
// ("AZNS AAD Webhook", learn.microsoft.com/azure/azure-monitor/alerts/action-groups, "Secure webhook
// PowerShell script") and Event Grid (learn.microsoft.com/azure/event-grid/scripts/
// powershell-webhook-secure-delivery-microsoft-entra-app; the docs note it differs per national cloud).
export const ACTION_GROUP_APP_ID = '461e8683-5575-4561-ac7f-899cc907d62a';
export const EVENT_GRID_APP_ID = '4962773b-9cdb-44cf-a8bf-237846a00ab7';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function guid(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (value === undefined) return undefined;
  if (!GUID.test(value)) throw new Error(`expected a GUID, got "${value}"`);
  return value.toLowerCase();
}

function guidList(fallback: string) {
  return (raw: string | undefined): readonly string[] => {
    const ids = list(raw ?? fallback);
    const bad = ids.find((id) => !GUID.test(id));
    if (bad !== undefined) throw new Error(`expected comma-separated GUIDs, got "${bad}"`);
    if (ids.length === 0) throw new Error('expected at least one app id');
    return ids.map((id) => id.toLowerCase());
  };
}

export const ingestAuth = {
  tenantId: {
    name: 'GG_INGEST_ENTRA_TENANT_ID',
    description:
      'Microsoft Entra tenant of the app registration the webhooks are protected with. Set: both ingest webhooks also require a valid Entra bearer token from the action group / Event Grid (401 otherwise). Unset: the function key alone.',
    parse: guid,
  },
  audiences: {
    name: 'GG_INGEST_ENTRA_AUDIENCES',
    description:
      "Comma-separated token audiences accepted (aud): the app registration's client id (v2.0 tokens) and its Application ID URI (v1.0 tokens may carry it). Required with GG_INGEST_ENTRA_TENANT_ID.",
    parse: list,
  },
  authority: {
    name: 'GG_INGEST_ENTRA_AUTHORITY',
    description:
      "Entra login endpoint (Bicep: the cloud's environment().authentication.loginEndpoint). Signing keys are read from <authority>/<tenant>/discovery/v2.0/keys and v2.0 tokens must be issued by <authority>/<tenant>/v2.0; tests point it at a local key server.",
    parse: parsers.httpsUrl('https://login.microsoftonline.com'),
  },
  actionGroupAppIds: {
    name: 'GG_INGEST_ACTION_GROUP_APP_IDS',
    description: `Comma-separated app ids (appid/azp claim) allowed to call the Activity Log webhook. Default: Azure Monitor action groups' first-party app ${ACTION_GROUP_APP_ID}.`,
    parse: guidList(ACTION_GROUP_APP_ID),
  },
  eventGridAppIds: {
    name: 'GG_INGEST_EVENT_GRID_APP_IDS',
    description: `Comma-separated app ids (appid/azp claim) allowed to call the Event Grid webhook. Default: Event Grid's first-party app ${EVENT_GRID_APP_ID} (public cloud).`,
    parse: guidList(EVENT_GRID_APP_ID),
  },
} satisfies Record<string, Setting<unknown>>;

// --- Operator identity (release / revalidate) -----------------------------------------------------
export const operators = {
  appServiceAuth: {
    name: 'GG_APP_SERVICE_AUTH',
    description:
      "true once App Service authentication (authsettingsV2, Microsoft Entra ID) fronts the app, as infra/ deploys it: only then is x-ms-client-principal the platform's word. Unset/false: release and revalidate answer 403.",
    parse: parsers.oneOf(['true', 'false'] as const, 'false'),
  },
  roles: {
    name: 'GG_OPERATOR_ROLES',
    description: 'Comma-separated Entra app roles (roles claim) that may release or re-validate a version.',
    parse: (raw: string | undefined): readonly string[] => list(raw ?? 'GalleryGuard.Operator'),
  },
  groups: {
    name: 'GG_OPERATOR_GROUPS',
    description:
      'Comma-separated Entra group object ids (groups claim) whose members may release or re-validate, besides the roles.',
    parse: list,
  },
} satisfies Record<string, Setting<unknown>>;

// --- Remediation (verdict actions) ----------------------------------------------------------------
export const remediation = {
  defaultMode: {
    name: 'GG_DEFAULT_MODE',
    description:
      'What a verdict changes when no gallery-guard-mode tag is set: quarantine, report-only or gate.',
    parse: parsers.oneOf(['quarantine', 'report-only', 'gate'] as const, 'quarantine'),
  },
  eolGraceDays: {
    name: 'GG_EOL_GRACE_DAYS',
    description: 'Days after a Failed verdict until the endOfLifeDate set on the version (0 = now).',
    parse: parsers.integer(0, 0, 3650),
  },
  rollout: {
    name: 'GG_ROLLOUT',
    description:
      'Gate mode, how a version published excluded from latest is promoted: all-at-once (every region on a pass) or regional (region by region, GG_ROLLOUT_ORDER).',
    parse: parsers.oneOf(['all-at-once', 'regional'] as const, 'all-at-once'),
  },
  rolloutOrder: {
    name: 'GG_ROLLOUT_ORDER',
    description:
      'Comma-separated regions promoted first, in this order (canaries first); target regions not listed follow in alphabetical order.',
    parse: regionList,
  },
  rolloutSoakMinutes: {
    name: 'GG_ROLLOUT_SOAK_MINUTES',
    description: 'Minutes a regional rollout waits after promoting one region before the next (0 = none).',
    parse: parsers.integer(0, 0, 10_080),
  },
  rolloutOnFailure: {
    name: 'GG_ROLLOUT_ON_FAILURE',
    description:
      'When a region fails during a regional rollout: roll-back (exclude the regions already promoted again) or keep them promoted. The rest is never promoted either way.',
    parse: parsers.oneOf(['roll-back', 'keep'] as const, 'roll-back'),
  },
  rollbackProtectPrevious: {
    name: 'GG_ROLLBACK_PROTECT_PREVIOUS',
    description:
      'true: a roll back also sets safetyProfile.allowDeletionOfReplicatedLocations=false on the version latest falls back to, so its regional replicas cannot be removed.',
    parse: parsers.oneOf(['true', 'false'] as const, 'false'),
  },
  maxAttempts: {
    name: 'GG_ACTION_MAX_ATTEMPTS',
    description:
      'Attempts at a remediation or notification (across retries) before it is recorded as failed.',
    parse: parsers.integer(5, 1, 50),
  },
} satisfies Record<string, Setting<unknown>>;

// --- Notifications (Teams, on-call) ---------------------------------------------------------------
export const notify = {
  teamsDefaultWebhookUrl: {
    name: 'GG_TEAMS_DEFAULT_WEBHOOK_URL',
    description:
      'Teams Workflows webhook for cards without an owner channel, and for Inconclusive verdicts (operators).',
    secret: true,
    parse: parsers.httpsUrl(undefined),
  },
  teamsWebhooks: {
    name: 'GG_TEAMS_WEBHOOKS',
    description:
      'JSON object name → Teams Workflows webhook URL; a definition or gallery tag teamsWebhook=<name> picks one.',
    secret: true,
    parse: webhookMap,
  },
  pagerdutyRoutingKey: {
    name: 'GG_PAGERDUTY_ROUTING_KEY',
    description: 'PagerDuty Events API v2 integration (routing) key. Unset: no PagerDuty pages.',
    secret: true,
    parse: parsers.optional,
  },
  pagerdutyEventsUrl: {
    name: 'GG_PAGERDUTY_EVENTS_URL',
    description: 'PagerDuty Events API v2 enqueue URL.',
    parse: parsers.httpsUrl('https://events.pagerduty.com/v2/enqueue'),
  },
  pagerdutySeverity: {
    name: 'GG_PAGERDUTY_SEVERITY',
    description:
      'Default page severity for a Failed, quarantined version (tag gallery-guard-severity overrides).',
    parse: parsers.oneOf(['critical', 'error', 'warning', 'info'] as const, 'error'),
  },
  oncallWebhookUrl: {
    name: 'GG_ONCALL_WEBHOOK_URL',
    description: 'Generic on-call webhook (JSON POST), an alternative or addition to PagerDuty.',
    secret: true,
    parse: parsers.httpsUrl(undefined),
  },
  portalUrl: {
    name: 'GG_PORTAL_URL',
    description: 'Azure portal base URL used for links in cards and pages.',
    parse: parsers.httpsUrl('https://portal.azure.com'),
  },
  retryBaseMs: {
    name: 'GG_NOTIFY_RETRY_BASE_MS',
    description: 'First backoff delay for a webhook answering 429/5xx (doubles each try; Retry-After wins).',
    parse: parsers.integer(1000, 0, 60000),
  },
  timeoutMs: {
    name: 'GG_NOTIFY_TIMEOUT_MS',
    description:
      'How long one webhook post may take before it counts as failed; also sizes how long a crashed instance keeps a delivery claimed.',
    parse: parsers.integer(15000, 500, 120000),
  },
} satisfies Record<string, Setting<unknown>>;

// --- Validation (issue 4) -------------------------------------------------------------------------
/** Region names, lower-case without spaces as ARM compares them; a duplicate is a mistake. */
function regionList(raw: string | undefined): readonly string[] {
  const names = (raw ?? '')
    .split(',')
    .map((r) => r.trim().toLowerCase().replace(/\s+/g, ''))
    .filter((r) => r !== '');
  const bad = names.find((r) => !/^[a-z0-9]+$/.test(r));
  if (bad !== undefined) throw new Error(`"${bad.slice(0, 40)}" is not a region name`);
  const twice = names.find((r, i) => names.indexOf(r) !== i);
  if (twice !== undefined) throw new Error(`region "${twice}" is listed twice`);
  return names;
}

function subnetMap(raw: string | undefined): Readonly<Record<string, string>> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('expected a JSON object {"<region>": "<subnet resource id>"}');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('expected a JSON object {"<region>": "<subnet resource id>"}');
  }
  const out: Record<string, string> = {};
  for (const [region, id] of Object.entries(parsed)) {
    if (
      typeof id !== 'string' ||
      !/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/virtualNetworks\/[^/]+\/subnets\/[^/]+$/i.test(
        id,
      )
    ) {
      throw new Error(`region "${region}" needs a subnet resource id`);
    }
    out[region.toLowerCase().replace(/\s+/g, '')] = id;
  }
  return out;
}

function checkScripts(raw: string | undefined): Readonly<Record<string, OwnerCheckScript>> {
  if (raw === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('expected a JSON object {"<name>": {"osType": "Linux"|"Windows", "script": "..."}}');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error('expected a JSON object {"<name>": {"osType": "Linux"|"Windows", "script": "..."}}');
  }
  const out: Record<string, OwnerCheckScript> = {};
  for (const [name, value] of Object.entries(parsed)) {
    const v = value as { osType?: unknown; script?: unknown } | null;
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error(`invalid script name "${name.slice(0, 64)}"`);
    if (v === null || (v.osType !== 'Linux' && v.osType !== 'Windows') || typeof v.script !== 'string') {
      throw new Error(`script "${name}" needs osType Linux|Windows and a script string`);
    }
    out[name] = { osType: v.osType, script: v.script };
  }
  return out;
}

/** An owner-supplied in-guest check: passes when it exits 0. */
export interface OwnerCheckScript {
  readonly osType: 'Linux' | 'Windows';
  readonly script: string;
}

export const validation = {
  subscriptionId: {
    name: 'GG_VALIDATION_SUBSCRIPTION_ID',
    description: 'Subscription that hosts the short-lived validation VMs.',
    parse: parsers.optional,
  },
  resourceGroup: {
    name: 'GG_VALIDATION_RESOURCE_GROUP',
    description: 'Resource group for validation VMs and NICs (the orphan sweeper only looks here).',
    parse: parsers.withDefault('rg-gallery-guard-validation'),
  },
  subnets: {
    name: 'GG_VALIDATION_SUBNETS',
    description:
      'JSON object region → subnet resource id of an isolated subnet (no public IP). Regions without one are not tested.',
    parse: subnetMap,
  },
  maxVmsPerRegion: {
    name: 'GG_MAX_VMS_PER_REGION',
    description: 'Most validation VMs alive at once in one region.',
    parse: parsers.integer(10, 1, 1000),
  },
  maxVmsPerSubscription: {
    name: 'GG_MAX_VMS_PER_SUBSCRIPTION',
    description:
      'Most validation VMs alive at once in the validation subscription (keep under the vCPU quota).',
    parse: parsers.integer(20, 1, 5000),
  },
  replicationTimeoutSeconds: {
    name: 'GG_REPLICATION_TIMEOUT_SECONDS',
    description: 'How long to wait for replication to the regions under test before the run is Inconclusive.',
    parse: parsers.integer(6 * 3600, 1, 7 * 24 * 3600),
  },
  bootTimeoutSeconds: {
    name: 'GG_BOOT_TIMEOUT_SECONDS',
    description: 'How long a validation VM may take to report its guest agent Ready.',
    parse: parsers.integer(25 * 60, 1, 24 * 3600),
  },
  vmTtlMinutes: {
    name: 'GG_VM_TTL_MINUTES',
    description: 'Expiry written on every validation resource; the orphan sweeper deletes what outlives it.',
    parse: parsers.integer(180, 1, 7 * 24 * 60),
  },
  sweepLookbackHours: {
    name: 'GG_SWEEP_LOOKBACK_HOURS',
    description: 'The missed-event sweep queues a run for versions published within this many hours.',
    parse: parsers.integer(24, 1, 24 * 90),
  },
  unconfirmedWaitMinutes: {
    name: 'GG_UNCONFIRMED_WAIT_MINUTES',
    description:
      'How long a run started by a signal for a version ARM does not show yet keeps looking (backing off from GG_VALIDATION_POLL_MS to 5 minutes) before it ends Cancelled.',
    parse: parsers.integer(60, 1, 24 * 60),
  },
  pollMs: {
    name: 'GG_VALIDATION_POLL_MS',
    description: 'Requeue delay while waiting on Azure (replication, VM boot, deletion).',
    parse: parsers.integer(20000, 0, 3600000),
  },
  slotWaitMs: {
    name: 'GG_VALIDATION_SLOT_WAIT_MS',
    description: 'Requeue delay while all VM slots (per-region/per-subscription caps) are taken.',
    parse: parsers.integer(15000, 0, 3600000),
  },
  infraBackoffMs: {
    name: 'GG_INFRA_BACKOFF_MS',
    description: 'Base delay of the exponential backoff after throttling, 5xx, quota or capacity errors.',
    parse: parsers.integer(30000, 0, 3600000),
  },
  infraRetryBudget: {
    name: 'GG_INFRA_RETRY_BUDGET',
    description: 'Infrastructure faults tolerated per run before it ends Inconclusive (never Failed).',
    parse: parsers.integer(8, 0, 100),
  },
  claimSeconds: {
    name: 'GG_VALIDATION_CLAIM_SECONDS',
    description:
      'How long one invocation owns a run; after a crash another takes over once it passes. Longer than the slowest step.',
    parse: parsers.integer(600, 1, 7200),
  },
  reconcileGraceMs: {
    name: 'GG_RECONCILE_GRACE_MS',
    description: 'How overdue a run must be before the reconciler timer re-sends its key (lost message).',
    parse: parsers.integer(60000, 0, 3600000),
  },
  checkScripts: {
    name: 'GG_CHECK_SCRIPTS',
    description:
      'JSON object name → {"osType": "Linux"|"Windows", "script": "..."}: owner check scripts a definition requires with its gg-check-scripts tag; exit 0 passes.',
    parse: checkScripts,
  },
  adminUsername: {
    name: 'GG_VALIDATION_ADMIN_USERNAME',
    description:
      'Admin user name on generalized validation VMs (credentials are generated per VM, never stored).',
    parse: parsers.withDefault('ggvalidator'),
  },
} satisfies Record<string, Setting<unknown>>;

// --- Governance audit (issue 17) ------------------------------------------------------------------
/** Six-field NCRONTAB (seconds first), the form Azure Functions timer triggers take. */
function ncrontab(fallback: string) {
  return (raw: string | undefined): string => {
    const value = (raw ?? fallback).trim();
    const fields = value.split(/\s+/);
    if (fields.length !== 6 || !fields.every((f) => /^[\d*,/\-A-Za-z]+$/.test(f))) {
      throw new Error(
        `expected a six-field NCRONTAB expression such as "0 30 2 * * *", got "${value.slice(0, 60)}"`,
      );
    }
    return value;
  };
}

/** Rules whose optional action may be switched on (README "Governance audit"). */
export const AUDIT_ACTION_RULES = ['latest-not-passed'] as const;
export type AuditActionRule = (typeof AUDIT_ACTION_RULES)[number];

function auditActions(raw: string | undefined): readonly AuditActionRule[] {
  const names = (raw ?? '')
    .split(/[,;\s]+/)
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s.length > 0);
  return names.map((name) => {
    const rule = AUDIT_ACTION_RULES.find((r) => r === name);
    if (rule === undefined) {
      throw new Error(
        `"${name.slice(0, 40)}" has no audit action; actions exist for ${AUDIT_ACTION_RULES.join(', ')}`,
      );
    }
    return rule;
  });
}

export const audit = {
  schedule: {
    name: 'GG_AUDIT_SCHEDULE',
    description: 'NCRONTAB schedule of the governance audit timer (default daily at 02:30 UTC).',
    parse: ncrontab('0 30 2 * * *'),
  },
  digestSchedule: {
    name: 'GG_AUDIT_DIGEST_SCHEDULE',
    description:
      'NCRONTAB schedule of the weekly findings digest card per owner (default Mondays 08:00 UTC).',
    parse: ncrontab('0 0 8 * * 1'),
  },
  passMaxAgeDays: {
    name: 'GG_AUDIT_PASS_MAX_AGE_DAYS',
    description: 'A latest version whose last Passed run is older than this many days is reported as stale.',
    parse: parsers.integer(90, 1, 3650),
  },
  stuckHours: {
    name: 'GG_AUDIT_STUCK_HOURS',
    description:
      'Runs in flight, or Inconclusive without a new attempt, for longer than this many hours are reported.',
    parse: parsers.integer(24, 1, 24 * 365),
  },
  identityFailureThreshold: {
    name: 'GG_AUDIT_IDENTITY_FAILURES',
    description: 'Runs with a failed identity check after which a generalized definition is reported.',
    parse: parsers.integer(2, 1, 1000),
  },
  minRegionalReplicas: {
    name: 'GG_AUDIT_MIN_REGIONAL_REPLICAS',
    description:
      "Fewest replicas per region of a latest version before it is reported (Azure's guidance: at least 3 for production).",
    parse: parsers.integer(3, 1, 100),
  },
  actions: {
    name: 'GG_AUDIT_ACTIONS',
    description:
      'Comma-separated rules whose action the audit takes (off by default): latest-not-passed queues a re-validation.',
    parse: auditActions,
  },
} satisfies Record<string, Setting<unknown>>;

// --- Local runner (offline only) ------------------------------------------------------------------
// --- Guest inventory and the policy on its diff against the baseline ("latest" now) -----------------
const INVENTORY_NAME = /^[A-Za-z0-9][A-Za-z0-9+._@:-]{0,127}$/;
export const DIFF_RULE_NAMES = ['boot-time', 'must-have-package', 'must-have-service', 'new-port'] as const;
export type DiffRuleName = (typeof DIFF_RULE_NAMES)[number];

function nameList(raw: string | undefined): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const bad = names.find((n) => !INVENTORY_NAME.test(n));
  if (bad !== undefined) throw new Error(`"${bad.slice(0, 64)}" is not a package or unit name`);
  return [...new Set(names)];
}

function ruleList(raw: string | undefined): DiffRuleName[] {
  return nameList(raw).map((name) => {
    const rule = DIFF_RULE_NAMES.find((r) => r === name.toLowerCase());
    if (rule === undefined) throw new Error(`"${name}" is not one of ${DIFF_RULE_NAMES.join(', ')}`);
    return rule;
  });
}

const number =
  (fallback: number, min: number, max: number) =>
  (raw: string | undefined): number => {
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < min || value > max)
      throw new Error(`expected a number from ${min} to ${max}, got "${raw}"`);
    return value;
  };

export const inventory = {
  enabled: {
    name: 'GG_INVENTORY',
    description:
      'on (default): Linux guests report their inventory (packages, services, ports, boot time) in the check pass and each version is diffed against what "latest" resolves to; off: neither.',
    parse: parsers.oneOf(['on', 'off'] as const, 'on'),
  },
  bootRegressionPercent: {
    name: 'GG_DIFF_BOOT_REGRESSION_PERCENT',
    description:
      'Fail a version whose boot time grew by more than this % against the baseline in a region (0, the default, turns the rule off). Tag gg-diff-boot-regression-percent overrides.',
    parse: number(0, 0, 10000),
  },
  bootMinSeconds: {
    name: 'GG_DIFF_BOOT_MIN_SECONDS',
    description:
      'The boot-time rule fails only when the growth is also at least this many seconds (default 5), so jitter on a fast boot never fails. Tag gg-diff-boot-min-seconds overrides.',
    parse: number(5, 0, 3600),
  },
  mustHavePackages: {
    name: 'GG_DIFF_MUST_HAVE_PACKAGES',
    description:
      'Comma-separated packages every Linux version must have installed (fails when one is missing). Tag gg-diff-must-have-packages overrides.',
    parse: nameList,
  },
  mustHaveServices: {
    name: 'GG_DIFF_MUST_HAVE_SERVICES',
    description:
      'Comma-separated systemd services every Linux version must have enabled (fails when one is not). Tag gg-diff-must-have-services overrides.',
    parse: nameList,
  },
  newPort: {
    name: 'GG_DIFF_NEW_PORT',
    description:
      'A listening port the baseline did not have: warn (default, reported without failing), fail, or off. Tag gg-diff-new-port overrides.',
    parse: parsers.oneOf(['warn', 'fail', 'off'] as const, 'warn'),
  },
  warnOnly: {
    name: 'GG_DIFF_WARN_ONLY',
    description:
      'Comma-separated diff rules (boot-time, must-have-package, must-have-service, new-port) reported as warnings only, never failing a version. Tag gg-diff-warn-only overrides.',
    parse: ruleList,
  },
} satisfies Record<string, Setting<unknown>>;

export const settingGroups = {
  storage,
  arm,
  ingest,
  ingestAuth,
  operators,
  validation,
  inventory,
  remediation,
  notify,
  audit,
} as const;

/** Flat list of every setting, for documentation and consistency tests. */
export function allSettings(): Setting<unknown>[] {
  return Object.values(settingGroups).flatMap((group) => Object.values(group) as Setting<unknown>[]);
}
