import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { validateFaultRules } from './faults';
import { startArmSimulator } from './index';
import type { ArmBucket, ArmBuckets } from './subscription-throttle';

/**
 * `npm run sim`: the simulator alone. Simulator-only environment (not app settings):
 * GG_SIM_PORT (default 0 = free), GG_SIM_TIME_SCALE (default 1), GG_SIM_SEED (default 1),
 * GG_SIM_SCENARIO (demo|empty), GG_SIM_FAULTS_FILE (JSON array of fault rules),
 * GG_SIM_CA_PATH (default .local/arm-sim/ca.pem), GG_SIM_EVENTGRID_WEBHOOK (URL), GG_SIM_QUIET=1 (no access log),
 * GG_SIM_GUESTS (auto|real|synthetic), GG_SIM_GUEST_CACHE (where real-guest images are cached),
 * GG_SIM_ARM_BUCKETS ('off', or JSON like {"reads":{"capacity":250,"refillPerSecond":25}} overriding
 * ARM's subscription buckets).
 */
function armBucketsEnv(): Partial<ArmBuckets> | false | undefined {
  const raw = process.env.GG_SIM_ARM_BUCKETS;
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'off') return false;
  const parsed = JSON.parse(raw) as unknown;
  if (typeof parsed !== 'object' || parsed === null)
    throw new Error('GG_SIM_ARM_BUCKETS must be a JSON object or off');
  for (const [kind, b] of Object.entries(parsed)) {
    const bucket = b as Partial<ArmBucket> | null;
    if (!['reads', 'writes', 'deletes'].includes(kind) || !(Number(bucket?.capacity) >= 1) || !(Number(bucket?.refillPerSecond) > 0))
      throw new Error(`GG_SIM_ARM_BUCKETS: ${kind} needs capacity >= 1 and refillPerSecond > 0`);
  } // prettier-ignore
  return parsed;
}

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got '${raw}'`);
  return value;
}

async function main(): Promise<void> {
  const faultsFile = process.env.GG_SIM_FAULTS_FILE;
  const faults = faultsFile
    ? validateFaultRules(JSON.parse(readFileSync(faultsFile, 'utf8')) as unknown)
    : [];
  const scenario = process.env.GG_SIM_SCENARIO === 'empty' ? 'empty' : 'demo';
  const webhook = process.env.GG_SIM_EVENTGRID_WEBHOOK;
  const armThrottling = armBucketsEnv();
  const sim = await startArmSimulator({
    ...(armThrottling === undefined ? {} : { armThrottling }),
    port: numberEnv('GG_SIM_PORT', 0),
    timeScale: numberEnv('GG_SIM_TIME_SCALE', 1),
    seed: numberEnv('GG_SIM_SEED', 1),
    scenario,
    faults,
    caCertPath: resolve(process.env.GG_SIM_CA_PATH ?? '.local/arm-sim/ca.pem'),
    ...(webhook ? { eventGridWebhook: { url: webhook } } : {}),
    ...(process.env.GG_SIM_QUIET === '1'
      ? {}
      : { onRequest: (e) => console.log(`${e.status} ${e.method} ${e.path} [${e.operation ?? '-'}]`) }),
  });
  console.log(`ARM simulator listening on ${sim.endpoint}`);
  console.log(`CA certificate: ${sim.caCertPath}`);
  console.log(`Use: GG_ARM_ENDPOINT=${sim.endpoint} GG_ARM_CA_CERT_PATH=${sim.caCertPath}`);
  console.log(`Admin API: ${sim.endpoint}/_sim/health (scenario ${scenario}, time scale ${sim.timeScale})`);
  const guests = sim.guestSupport;
  console.log(`Linux guests: ${guests.mode}${guests.reason !== undefined ? ` (${guests.reason})` : ''}`);
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
