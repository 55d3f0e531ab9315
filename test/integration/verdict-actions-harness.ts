import type { ComputeManagementClient } from '@azure/arm-compute';
import { DEMO, startArmSimulator, type ArmSimulator, type RequestLogEntry } from '../../local/arm-sim';
import type { RunningAzurite } from '../../local/azurite';
import { startNotificationSinks, type NotificationSinks } from '../../local/sinks/notification-sinks';
import { createArmClients } from '../../shared/azure/arm-clients';
import { loadConfig, type Config } from '../../shared/config';
import type { Logger } from '../../shared/logging/logger';
import type { ArmCallLimiter } from '../../shared/azure/arm-call-limiter';
import type { VerdictActionsDeps } from '../../shared/remediation/verdict-actions-deps';
import { versionStateOf, type VersionState } from '../../shared/remediation/version-state';
import { createServices } from '../../shared/app/services';
import type { VerdictReport } from '../../shared/verdict/verdict';
import { startTestAzurite } from '../support/local-stack';
import { localCredential } from '../../local/azure/local-token-credential';

export const GALLERY_ID = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`;
export const versionIdOf = (image: string): string =>
  `${GALLERY_ID}/images/${image}/versions/${DEMO.version}`;
export const ROUTING_KEY = 'test-routing-key-0123456789';

export interface PublishOptions {
  readonly regions: readonly string[];
  readonly excludeFromLatest?: boolean;
  readonly tags?: Record<string, string>;
}

/** ARM simulator + Azurite + notification sinks, and verdict-action deps built like production's. */
export interface VerdictActionsHarness {
  readonly sim: ArmSimulator;
  readonly azurite: RunningAzurite;
  readonly sinks: NotificationSinks;
  readonly config: Config;
  readonly env: Readonly<Record<string, string>>;
  readonly deps: VerdictActionsDeps;
  /** The service's one ARM call limiter (every ARM request of the verdict actions passes it). */
  readonly limiter: ArmCallLimiter;
  /** Every request the simulator answered, in order (the service's and the test's own). */
  readonly armRequests: readonly RequestLogEntry[];
  readonly compute: ComputeManagementClient;
  readonly logger: Logger;
  readonly logs: string[];
  readVersion(image: string): Promise<VersionState>;
  /** Sets tags on an image definition (e.g. gallery-guard-mode), through the SDK. */
  tagDefinition(image: string, tags: Record<string, string>): Promise<void>;
  /** A person (or a publishing pipeline) sets excludeFromLatest, through the SDK. */
  setExcluded(image: string, version: boolean, regions: Record<string, boolean>): Promise<void>;
  /** Publishes another version of the image from the demo version's source, through the SDK. */
  publishVersion(image: string, version: string, options: PublishOptions): Promise<void>;
  /** Accepted posts that concern one version (cards by version id, pages by dedup key/resource). */
  cardsFor(image: string): unknown[];
  pagesFor(image: string): { event_action: string; dedup_key: string; payload?: { severity: string } }[];
  close(): Promise<void>;
}

export function report(image: string, verdict: VerdictReport['verdict'], runId: string): VerdictReport {
  return {
    runId,
    versionId: versionIdOf(image),
    verdict,
    checks:
      verdict === 'Failed'
        ? [
            {
              name: 'provisioning',
              status: 'Failed',
              reason: 'VM never reached agent Ready',
              region: 'eastus',
              evidence: 'Kernel panic - not syncing',
            },
          ]
        : verdict === 'Inconclusive'
          ? [{ name: 'capacity', status: 'Inconclusive', reason: 'SkuNotAvailable in eastus' }]
          : [{ name: 'provisioning', status: 'Passed', reason: 'agent Ready' }],
    regions: ['eastus', 'westeurope'],
    bootSeconds: { 'ggv-eastus': 41, 'ggv-westeurope': 44 },
    decidedAt: new Date().toISOString(),
  };
}

export async function startVerdictActionsHarness(
  extraEnv: Record<string, string> = {},
  options: { readonly clock?: () => Date } = {},
): Promise<VerdictActionsHarness> {
  const armRequests: RequestLogEntry[] = [];
  const sim = await startArmSimulator({
    timeScale: 600,
    guests: 'synthetic',
    onError: () => undefined,
    onRequest: (entry) => armRequests.push(entry),
  });
  const azurite = await startTestAzurite();
  const sinks = await startNotificationSinks();
  const env = {
    AzureWebJobsStorage: azurite.connectionString,
    GG_GALLERY_SCOPES: GALLERY_ID,
    GG_ARM_ENDPOINT: sim.endpoint,
    GG_ARM_CA_CERT_PATH: sim.caCertPath,
    GG_ARM_POLL_INTERVAL_MS: '5',
    GG_TEAMS_DEFAULT_WEBHOOK_URL: sinks.teamsUrl('operators'),
    GG_TEAMS_WEBHOOKS: JSON.stringify({ linux: sinks.teamsUrl('linux') }),
    GG_PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
    GG_PAGERDUTY_EVENTS_URL: sinks.pagerdutyUrl,
    GG_NOTIFY_RETRY_BASE_MS: '1',
    GG_ACTION_MAX_ATTEMPTS: '3',
    ...extraEnv,
  };
  const config = loadConfig(env);
  const logs: string[] = [];
  const services = createServices(config, {
    credential: localCredential,
    logSink: (_level, line) => logs.push(line),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  // The test's own client, outside the service's limiter, to arrange and read back versions.
  const compute = createArmClients(config, DEMO.subscriptionId, localCredential).compute;
  // Exactly what production wires: verdict actions from the composition root.
  const deps = services.verdictActions;
  const rg = DEMO.resourceGroup;
  const gallery = DEMO.gallery;
  const poll = { updateIntervalInMs: 5 };
  return {
    sim,
    azurite,
    sinks,
    config,
    env,
    deps,
    limiter: services.limiter,
    armRequests,
    compute,
    logger: services.logger,
    logs,
    readVersion: async (image) =>
      versionStateOf(await compute.galleryImageVersions.get(rg, gallery, image, DEMO.version)),
    tagDefinition: async (image, tags) => {
      const current = await compute.galleryImages.get(rg, gallery, image);
      await compute.galleryImages
        .update(rg, gallery, image, { tags: { ...current.tags, ...tags } }, poll)
        .pollUntilDone();
    },
    publishVersion: async (image, version, options) => {
      const source = await compute.galleryImageVersions.get(rg, gallery, image, DEMO.version);
      await compute.galleryImageVersions.beginCreateOrUpdateAndWait(
        rg,
        gallery,
        image,
        version,
        {
          location: 'eastus',
          ...(options.tags === undefined ? {} : { tags: options.tags }),
          publishingProfile: {
            ...(options.excludeFromLatest === undefined
              ? {}
              : { excludeFromLatest: options.excludeFromLatest }),
            targetRegions: options.regions.map((name) => ({ name, regionalReplicaCount: 1 })),
          },
          storageProfile: source.storageProfile ?? {},
        },
        { updateIntervalInMs: 5 },
      );
    },
    setExcluded: async (image, version, regions) => {
      const current = await compute.galleryImageVersions.get(rg, gallery, image, DEMO.version);
      const targetRegions = (current.publishingProfile?.targetRegions ?? []).map((r) => ({
        ...r,
        excludeFromLatest: regions[r.name.replace(/\s+/g, '').toLowerCase()] ?? r.excludeFromLatest,
      }));
      await compute.galleryImageVersions
        .update(
          rg,
          gallery,
          image,
          DEMO.version,
          { publishingProfile: { excludeFromLatest: version, targetRegions } },
          poll,
        )
        .pollUntilDone();
    },
    cardsFor: (image) =>
      sinks
        .accepted('teams')
        .filter((p) => JSON.stringify(p.body).includes(`/images/${image}/versions/`))
        .map((p) => p.body),
    pagesFor: (image) =>
      sinks
        .accepted('pagerduty')
        .map((p) => p.body as { event_action: string; dedup_key: string; payload?: { severity: string } })
        .filter((b) => b.dedup_key.includes(`/images/${image}/versions/`)),
    close: async () => {
      await Promise.allSettled([sim.close(), azurite.close(), sinks.close()]);
    },
  };
}
