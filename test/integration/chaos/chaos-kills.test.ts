import type { ComputeManagementClient } from '@azure/arm-compute';
import { DEMO, type JournalEntry, type VmCreation } from '../../../local/arm-sim';
import { seededRandom } from '../../../local/arm-sim/faults';
import type { RunningAzurite } from '../../../local/azurite';
import { localCredential } from '../../../local/azure/local-token-credential';
import { startSimulatorProcess, type SimulatorProcess } from '../../../local/bench/simulator-process';
import { demoValidationSettings } from '../../../local/demo/demo-validation-settings';
import { startNotificationSinks, type NotificationSinks } from '../../../local/sinks/notification-sinks';
import { createServices, type Services } from '../../../shared/app/services';
import { parseImageVersionId } from '../../../shared/arm/resource-id';
import { createArmClients } from '../../../shared/azure/arm-clients';
import { loadConfig } from '../../../shared/config';
import { ingestVersionSignal } from '../../../shared/events/ingest-version-signal';
import { RUN_TABLE } from '../../../shared/ledger';
import { NOTIFICATION_TABLE } from '../../../shared/notify/delivery-ledger';
import { REMEDIATION_TABLE } from '../../../shared/remediation/remediation-ledger';
import { CHECK_TABLE, STEP_TABLE } from '../../../shared/validation/engine/validation-records';
import { readProgress, type ValidationState } from '../../../shared/validation/run/validation-state';
import { runHash } from '../../../shared/validation/vm/validation-resources';
import { eventually } from '../../support/eventually';
import { startTestAzurite } from '../../support/local-stack';
import { GALLERY_ID, versionIdOf } from '../validation-harness';
import { bundleAppWorker, startApp, type AppProcess } from './app-process';
import {
  LANDINGS,
  claimedRuns,
  landingsOf,
  type ActionRowView,
  type DeliveryRowView,
  type KillObservation,
  type Landing,
  type RunRowView,
} from './landing-point';

/**
 * Acceptance (issue 11): the function app, in its own process, is SIGKILLed again and again (seeded)
 * while runs are claimed, VMs are live and quarantine PATCHes or notifications are in flight; the
 * simulator (own process) and Azurite keep Azure's and the Table's state across every crash. Where each
 * kill landed is read back from that state and asserted. Then one last app instance finishes the work:
 * every run reaches its verdict, one VM set per version, nothing left behind, nothing lost.
 * Replay a failure with GG_CHAOS_SEED=<the printed seed>.
 */
const SEED = Number(process.env.GG_CHAOS_SEED ?? 20261201);
const KILLS = Number(process.env.GG_CHAOS_KILLS ?? 56);
const CLAIM_SECONDS = 2;
/** Each wave publishes one more version of every demo image, ingested when its kill number comes. */
const WAVES = [0, 16, 32] as const;
const EXPECTED: Record<string, 'Passed' | 'Failed'> = {
  'ubuntu-healthy': 'Passed',
  'ubuntu-cloned': 'Failed',
  'ubuntu-kernel-panic': 'Failed',
  'ubuntu-agent-stuck': 'Failed',
  'windows-specialized': 'Passed',
  'windows-healthy': 'Passed',
};
const QUARANTINE = ['exclude-from-latest', 'end-of-life'];
type Target = 'claimed' | 'verdict-action' | 'anytime';
const versionOfWave = (wave: number): string => `1.0.${wave}`;

let sim: SimulatorProcess;
let azurite: RunningAzurite;
let sinks: NotificationSinks;
let services: Services;
let compute: ComputeManagementClient;
let env: Record<string, string>;
let appScript: string;
const appStderr: string[] = [];
const random = seededRandom(SEED);
/** Armed by a kill aimed at a notification: the sink calls it the instant a post arrives. */
let onPost: (() => void) | undefined;

async function rows<T extends object>(
  table: string,
): Promise<(T & { partitionKey: string; rowKey: string })[]> {
  const out: (T & { partitionKey: string; rowKey: string })[] = [];
  for await (const row of services.storage.table(table).listEntities<T>()) out.push(row as never);
  return out;
}

async function runViews(): Promise<(RunRowView & { row: Record<string, unknown> })[]> {
  try {
    return (await rows<Record<string, unknown>>(RUN_TABLE)).map((row) => {
      const progress = readProgress(row as Record<string, string>);
      return {
        versionKey: String(row.versionKey),
        runId: `${row.partitionKey}/${row.rowKey}`,
        phase: progress.phase,
        ...(progress.claimedUntil === undefined ? {} : { claimedUntil: progress.claimedUntil }),
        row,
      };
    });
  } catch {
    return []; // the table does not exist before the first ingest
  }
}

async function tableOrEmpty<T extends object>(table: string): Promise<T[]> {
  try {
    return await rows<T>(table);
  } catch {
    return [];
  }
}

async function journal(after: number): Promise<JournalEntry[]> {
  return (await sim.admin<{ value: JournalEntry[] }>('GET', `/requests?after=${after}`)).value;
}

async function ingestWave(wave: number): Promise<void> {
  for (const image of Object.keys(EXPECTED)) {
    await ingestVersionSignal(services, {
      eventId: `evt-${image}-${wave}`,
      source: 'eventgrid',
      kind: 'write',
      version: parseImageVersionId(versionIdOf(image, versionOfWave(wave))),
    });
  }
}

function pickTarget(): Target {
  const r = random();
  return r < 0.6 ? 'claimed' : r < 0.9 ? 'verdict-action' : 'anytime';
}

/** Waits (polling observable state) for the aimed-at moment, then SIGKILLs; gives up after a while. */
async function killAt(app: AppProcess, target: Target, seqAtStart: number): Promise<KillObservation> {
  let killedAt = 0;
  let sinkInFlight = 0;
  const killNow = (): void => {
    if (killedAt !== 0) return;
    killedAt = Date.now();
    sinkInFlight = sinks.inFlight(app.startedAt);
    app.child.kill('SIGKILL');
  };
  // A quarantine or a notice needs a run to reach its verdict: those kills wait longer for their moment.
  const deadline = Date.now() + (target === 'claimed' ? 8000 : 20_000);
  // The pre-delay is the experiment's random variable, not a synchronisation.
  const delay = Math.floor(random() * (target === 'anytime' ? 2500 : 600));
  await new Promise((resolve) => setTimeout(resolve, delay));
  if (target === 'verdict-action') {
    onPost = killNow;
    if (sinks.inFlight(app.startedAt) > 0) killNow();
  }
  while (killedAt === 0 && Date.now() < deadline && target !== 'anytime') {
    if (target === 'claimed') {
      const runs = await runViews();
      const now = Date.now();
      if (
        claimedRuns({ startedAt: app.startedAt, killedAt: now, claimMs: CLAIM_SECONDS * 1000, runs }).length >
        0
      )
        killNow();
    } else {
      // Kill as soon as this instance sent a version PATCH; the landing is then read from the rows.
      const sent = (await journal(seqAtStart)).some(
        (r) => r.method === 'PATCH' && /\/versions\/[^/]+$/i.test(r.path) && r.receivedAt >= app.startedAt,
      );
      if (sent) killNow();
    }
    if (killedAt === 0) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  killNow();
  onPost = undefined;
  await app.kill();
  const [runs, actions, deliveries, live, requests] = await Promise.all([
    runViews(),
    tableOrEmpty<ActionRowView & { partitionKey: string }>(REMEDIATION_TABLE),
    tableOrEmpty<DeliveryRowView>(NOTIFICATION_TABLE),
    sim.leftovers(),
    journal(seqAtStart),
  ]);
  return {
    startedAt: app.startedAt,
    killedAt,
    claimMs: CLAIM_SECONDS * 1000,
    runs,
    actions: actions
      .filter((a) => typeof a.action === 'string')
      .map((a) => ({ ...a, versionKey: a.partitionKey })),
    deliveries,
    liveVms: live.filter((r) => /virtualMachines/i.test(r.type)).length,
    requests: requests.filter((r) => r.receivedAt >= app.startedAt && r.receivedAt <= killedAt),
    sinkInFlight,
    quarantineActions: QUARANTINE,
  };
}

beforeAll(async () => {
  process.stdout.write(`chaos suite seed: ${SEED} (replay with GG_CHAOS_SEED=${SEED})\n`);
  [sim, azurite, appScript] = await Promise.all([
    startSimulatorProcess({ timeScale: 300, seed: SEED }),
    startTestAzurite(),
    bundleAppWorker(),
  ]);
  const sinkRandom = seededRandom(SEED + 1);
  sinks = await startNotificationSinks({
    flaky: { random: sinkRandom, failRate: 0.3, maxLatencyMs: 400 },
    onReceive: () => onPost?.(),
  });
  env = {
    ...demoValidationSettings({
      endpoint: sim.endpoint,
      caCertPath: sim.caCertPath,
      guestSupport: { mode: 'synthetic' },
    }),
    AzureWebJobsStorage: azurite.connectionString,
    GG_GALLERY_SCOPES: GALLERY_ID,
    GG_DEFAULT_MODE: 'quarantine',
    GG_VALIDATION_CLAIM_SECONDS: String(CLAIM_SECONDS),
    GG_RECONCILE_GRACE_MS: '300',
    GG_VALIDATION_POLL_MS: '200',
    GG_TEAMS_DEFAULT_WEBHOOK_URL: sinks.teamsUrl('operators'),
    GG_PAGERDUTY_ROUTING_KEY: 'chaos-routing-key-0123456789',
    GG_PAGERDUTY_EVENTS_URL: sinks.pagerdutyUrl,
    GG_NOTIFY_RETRY_BASE_MS: '50',
    // The sink answers within 400 ms: a 2 s post timeout sizes the delivery lease a killed sender
    // leaves behind (11 s) instead of the default 76 s.
    GG_NOTIFY_TIMEOUT_MS: '2000',
    // A flaky sink fails 30 % of posts: enough attempts that no delivery is given up (0.3^20).
    GG_ACTION_MAX_ATTEMPTS: '20',
    GG_LOG_LEVEL: 'warn',
  };
  services = createServices(loadConfig(env), { credential: localCredential, logSink: () => undefined });
  compute = createArmClients(loadConfig(env), DEMO.subscriptionId, localCredential).compute;
  // Later waves' versions exist in ARM from the start (ingest confirms every signal against ARM).
  const published = WAVES.slice(1).flatMap((_, i) =>
    Object.keys(EXPECTED).map((image) =>
      compute.galleryImageVersions.beginCreateOrUpdateAndWait(
        DEMO.resourceGroup,
        DEMO.gallery,
        image,
        versionOfWave(i + 1),
        {
          location: 'eastus',
          publishingProfile: {
            targetRegions: DEMO.regions.map((name) => ({ name, regionalReplicaCount: 1 })),
          },
          storageProfile: {
            source: {
              virtualMachineId: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-image-build/providers/Microsoft.Compute/virtualMachines/${image}-build`,
            },
          },
        },
        { updateIntervalInMs: 20 },
      ),
    ),
  );
  await Promise.all(published);
}, 120_000);

afterAll(async () => {
  await sinks?.close();
  await azurite?.close();
  await sim?.close();
});

describe('chaos: the function app SIGKILLed while runs, VMs, quarantines and notifications are in flight', () => {
  it(`lands ${KILLS} kills where they matter, then every verdict, one VM set per version, nothing left or lost`, async () => {
    const began = Date.now();
    const landed: Landing[][] = [];
    const claimedPhases: Record<string, number> = {};
    let seq = 0;
    let waves = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const wave = WAVES.indexOf(kill as never);
      if (wave >= 0) {
        await ingestWave(wave);
        waves++;
      }
      const app = await startApp(appScript, env, appStderr);
      const target = pickTarget();
      const observation = await killAt(app, target, seq);
      landed.push(landingsOf(observation));
      if (process.env.GG_CHAOS_VERBOSE === '1')
        process.stdout.write(
          `kill ${kill}: aimed ${target}, landed ${landed[kill]!.join('+')} after ${observation.killedAt - app.startedAt} ms (ready after ${app.readyAt - app.startedAt} ms)\n`,
        );
      for (const run of claimedRuns(observation))
        claimedPhases[run.phase] = (claimedPhases[run.phase] ?? 0) + 1;
      seq = Math.max(seq, ...observation.requests.map((r) => r.seq));
    }
    const killPhase = Date.now() - began;

    const final = await startApp(appScript, env, appStderr);
    let runs: Awaited<ReturnType<typeof runViews>>;
    try {
      runs = await eventually(
        async () => {
          const all = await runViews();
          return all.length === waves * 6 && all.every((r) => r.phase === 'Complete') ? all : undefined;
        },
        { timeoutMs: 150_000, intervalMs: 250, what: 'every run to complete' },
      );
    } catch (error) {
      const all = await runViews();
      process.stdout.write(
        `unfinished runs: ${JSON.stringify(all.filter((r) => r.phase !== 'Complete').map((r) => [r.versionKey.split('/images/')[1], r.phase, r.row.state, r.row.nextActionAt]))}\n` +
          `app stderr (last lines): ${appStderr.join('').split('\n').slice(-30).join('\n')}\n`,
      );
      throw error;
    } finally {
      await final.kill();
    }
    if (process.env.GG_CHAOS_VERBOSE === '1')
      for (const r of runs) {
        const steps = readProgress(r.row as Record<string, string>).state.steps;
        const attempts = Object.entries(steps).map(([phase, stats]) => `${phase}×${stats?.attempts ?? 0}`);
        const doneAfter = Date.parse(String(r.row.timestamp)) - final.startedAt;
        process.stdout.write(
          `run ${r.versionKey.split('/images/')[1]}: ${String(r.row.state)}, done ${doneAfter} ms after the last start; ${attempts.join(' ')}\n`,
        );
      }
    const histogram = Object.fromEntries(
      LANDINGS.map((l) => [l, landed.filter((k) => k.includes(l)).length]),
    );
    const actionOrNotice = landed.filter(
      (k) => k.includes('remediation') || k.includes('notification'),
    ).length;
    process.stdout.write(
      `chaos suite: seed ${SEED}, ${landed.length} kills in ${Math.round(killPhase / 1000)} s, ` +
        `recovery ${Math.round((Date.now() - began - killPhase) / 1000)} s; landings ${JSON.stringify(histogram)}; ` +
        `remediation or notification ${actionOrNotice}; claimed runs by phase ${JSON.stringify(claimedPhases)}\n`,
    );

    // Every VM the simulator created, from its own record (kept after deletion), with its image version.
    const creations = (await sim.admin<{ value: VmCreation[] }>('GET', '/vm-creations')).value;
    const vmCreates = creations.map((c) => c.name);
    // No VM name was ever created twice.
    expect(vmCreates.filter((name, i) => vmCreates.indexOf(name) !== i)).toEqual([]);

    const [steps, checks, actions, deliveries] = await Promise.all([
      rows<Record<string, unknown>>(STEP_TABLE),
      rows<Record<string, unknown>>(CHECK_TABLE),
      rows<Record<string, unknown>>(REMEDIATION_TABLE),
      rows<Record<string, unknown>>(NOTIFICATION_TABLE),
    ]);
    // One run per version, each with its verdict.
    expect(new Set(runs.map((r) => r.versionKey)).size).toBe(runs.length);
    for (const run of runs) {
      const { image, version } = parseImageVersionId(String(run.row.versionId));
      const expected = EXPECTED[image]!;
      const state: ValidationState = readProgress(run.row as Record<string, string>).state;
      const what = `${image} ${version}`;
      expect([what, run.row.state]).toEqual([what, expected]);
      // One VM set per version: exactly the run's deterministic names were created, each once.
      const ofRun = creations.filter((c) => c.name.startsWith(`gg-${runHash(run.runId)}-`));
      expect([what, ofRun.map((c) => c.name).sort()]).toEqual([what, state.vms.map((v) => v.name).sort()]);
      // ...each created from this very version.
      expect([what, [...new Set(ofRun.map((c) => c.imageVersionId.toLowerCase()))]]).toEqual([
        what,
        [run.versionKey],
      ]);
      // Nothing lost: a step row for every step, a check row for every check.
      const stepRows = steps
        .filter((s) => s.runId === run.runId)
        .map((s) => s.phase)
        .sort();
      expect([what, stepRows]).toEqual([what, Object.keys(state.steps).sort()]);
      // A check row is keyed by check name and its VM, else its region (ValidationRecords.writeChecks).
      const checkKeys = [...new Set(state.checks.map((c) => `${c.name}|${c.vmName ?? c.region ?? 'run'}`))];
      const checkRows = checks
        .filter((c) => c.runId === run.runId)
        .map(
          (c) =>
            `${String(c.name)}|${([c.vmName, c.region].find((v) => typeof v === 'string' && v !== '') as string | undefined) ?? 'run'}`,
        );
      expect([what, checkRows.sort()]).toEqual([what, checkKeys.sort()]);
      // Quarantine exactly as the verdict says: both actions Applied (also when a killed instance's
      // PATCH landed and the resumed step found the change in place), the version excluded.
      const applied = actions
        .filter((a) => a.runId === run.runId)
        .map((a) => `${String(a.action)}:${String(a.status)}`)
        .sort();
      expect([what, applied]).toEqual([
        what,
        expected === 'Failed' ? QUARANTINE.map((a) => `${a}:Applied`).sort() : [],
      ]);
      const live = await compute.galleryImageVersions.get(DEMO.resourceGroup, DEMO.gallery, image, version);
      expect([what, live.publishingProfile?.excludeFromLatest ?? false]).toEqual([
        what,
        expected === 'Failed',
      ]);
      expect([what, live.publishingProfile?.endOfLifeDate !== undefined]).toEqual([
        what,
        expected === 'Failed',
      ]);
      // Notifications recorded and delivered: the card always, the page for a failure.
      const sent = deliveries
        .filter((d) => d.runId === run.runId)
        .map((d) => `${String(d.channel)}:${String(d.status)}`)
        .sort();
      expect([what, sent]).toEqual([
        what,
        expected === 'Failed' ? ['pagerduty:Delivered', 'teams:Delivered'] : ['teams:Delivered'],
      ]);
    }
    // Every delivered card reached the sink (a kill between the post and its row may send one twice).
    expect(sinks.accepted('teams').length).toBeGreaterThanOrEqual(runs.length);
    // Nothing left behind in the simulator.
    expect(await sim.leftovers()).toEqual([]);
    // Where the kills landed (read back from state, not from where they were aimed).
    expect(landed.length).toBeGreaterThanOrEqual(50);
    expect(histogram.claimed).toBeGreaterThanOrEqual(30);
    expect(actionOrNotice).toBeGreaterThanOrEqual(10);
  }, 900_000);
});
