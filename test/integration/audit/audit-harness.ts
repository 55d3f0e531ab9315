import type { ComputeManagementClient } from '@azure/arm-compute';
import { DEMO, startArmSimulator, type ArmSimulator, type RequestLogEntry } from '../../../local/arm-sim';
import { localCredential } from '../../../local/azure/local-token-credential';
import { startNotificationSinks, type NotificationSinks } from '../../../local/sinks/notification-sinks';
import { parseImageVersionId } from '../../../shared/arm/resource-id';
import type { RecordedFinding } from '../../../shared/audit/finding-ledger';
import type { AuditSummary } from '../../../shared/audit/run-audit';
import { createArmClients } from '../../../shared/azure/arm-clients';
import type { RunState } from '../../../shared/ledger/run-state';
import { EMPTY_STATE, type ValidationState } from '../../../shared/validation/run/validation-state';
import { startLocalStack, type LocalStack } from '../../support/local-stack';

export const GALLERY_ID = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`;
export const RG = DEMO.resourceGroup;
export const GALLERY = DEMO.gallery;
export const definitionIdOf = (image: string): string => `${GALLERY_ID}/images/${image}`;
export const versionIdOf = (image: string, version: string = DEMO.version): string =>
  `${definitionIdOf(image)}/versions/${version}`;
export const POLL = { updateIntervalInMs: 5 };

/**
 * The ARM simulator (driven through the real SDK clients), Azurite, Teams sinks and the local runner
 * serving the real function definitions; the app's clock is the test's, so hours can pass.
 */
export interface AuditHarness {
  readonly sim: ArmSimulator;
  readonly stack: LocalStack;
  readonly sinks: NotificationSinks;
  readonly compute: ComputeManagementClient;
  /** Every ARM request the simulator answered (its access log). */
  readonly requests: RequestLogEntry[];
  advance(hours: number): void;
  now(): Date;
  audit(): Promise<AuditSummary>;
  findings(state?: 'Open' | 'Resolved' | 'all'): Promise<RecordedFinding[]>;
  seedRun(
    image: string,
    attempt: number,
    state: RunState,
    validation?: Partial<ValidationState>,
    version?: string,
  ): Promise<string>;
  close(): Promise<void>;
}

export async function startAuditHarness(
  options: { readonly scenario?: 'demo' | 'empty'; readonly env?: Record<string, string> } = {},
): Promise<AuditHarness> {
  const requests: RequestLogEntry[] = [];
  const sim = await startArmSimulator({
    timeScale: 600,
    scenario: options.scenario ?? 'demo',
    // The audit reads galleries; it boots no VM, so it never waits for real-guest images.
    guests: 'synthetic',
    onError: () => undefined,
    onRequest: (entry) => requests.push(entry),
  });
  const sinks = await startNotificationSinks();
  let nowMs = Date.now();
  const stack = await startLocalStack({
    clock: () => new Date(nowMs),
    env: {
      GG_GALLERY_SCOPES: GALLERY_ID,
      GG_ARM_ENDPOINT: sim.endpoint,
      GG_ARM_CA_CERT_PATH: sim.caCertPath,
      GG_ARM_POLL_INTERVAL_MS: '5',
      GG_TEAMS_DEFAULT_WEBHOOK_URL: sinks.teamsUrl('operators'),
      GG_TEAMS_WEBHOOKS: JSON.stringify({ linux: sinks.teamsUrl('linux') }),
      GG_NOTIFY_RETRY_BASE_MS: '1',
      GG_LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  const compute = createArmClients(stack.config, DEMO.subscriptionId, localCredential).compute;
  const { ledger } = stack.services;
  return {
    sim,
    stack,
    sinks,
    compute,
    requests,
    advance: (hours) => void (nowMs += hours * 3_600_000),
    now: () => new Date(nowMs),
    audit: async () => {
      const response = await stack.post('audit', {});
      if (response.status !== 200)
        throw new Error(`audit answered ${response.status}: ${JSON.stringify(response.json)}`);
      return response.json as AuditSummary;
    },
    findings: async (state = 'all') => {
      const response = await fetch(stack.apiUrl(`audit/findings?state=${state}`));
      return ((await response.json()) as { findings: RecordedFinding[] }).findings;
    },
    seedRun: async (image, attempt, state, validation = {}, version: string = DEMO.version) => {
      const versionId = versionIdOf(image, version);
      const { run } = await ledger.createAttempt({
        version: parseImageVersionId(versionId),
        versionId,
        attempt,
        source: 'eventgrid',
        eventId: `seed-${image}-${version}-${attempt}`,
        state,
      });
      await ledger.updateRun(run, {
        state,
        extra: { validation: JSON.stringify({ ...EMPTY_STATE, ...validation }) },
      });
      return run.runId;
    },
    close: async () => {
      await stack.close();
      await sinks.close();
      await sim.close();
    },
  };
}

/** The findings of one rule on one resource (at most one each, unless a detail tells them apart). */
export function findingsOf(
  findings: readonly RecordedFinding[],
  rule: string,
  resourceId: string,
): RecordedFinding[] {
  return findings.filter((f) => f.rule === rule && f.resourceId.toLowerCase() === resourceId.toLowerCase());
}
