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
    parse: parsers.optional,
  },
  pollIntervalMs: {
    name: 'GG_ARM_POLL_INTERVAL_MS',
    description: 'Interval between long-running-operation polls, in milliseconds.',
    parse: parsers.integer(2000, 0, 600000),
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
    description: 'Days to keep audit rows of received events; older rows are purged by the sweep.',
    parse: parsers.integer(30, 1, 3650),
  },
  logLevel: {
    name: 'GG_LOG_LEVEL',
    description: 'Minimum log level: debug, info, warn or error.',
    parse: parsers.oneOf(['debug', 'info', 'warn', 'error'] as const, 'info'),
  },
} satisfies Record<string, Setting<unknown>>;

// --- Local runner (offline only) ------------------------------------------------------------------
export const local = {
  functionKey: {
    name: 'GG_LOCAL_FUNCTION_KEY',
    description:
      'Function key the local runner requires (?code= or x-functions-key). In Azure the host checks keys.',
    secret: true,
    parse: parsers.withDefault('local-dev-key'),
  },
} satisfies Record<string, Setting<unknown>>;

export const settingGroups = { storage, arm, ingest, local } as const;

/** Flat list of every setting, for documentation and consistency tests. */
export function allSettings(): Setting<unknown>[] {
  return Object.values(settingGroups).flatMap((group) => Object.values(group) as Setting<unknown>[]);
}
