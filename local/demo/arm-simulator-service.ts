import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, startArmSimulator } from '../arm-sim';
import type { LocalService } from '../local-service';
import { runDemo } from './run-demo';

const VRG = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.validationResourceGroup}`;

/**
 * The ARM simulator with the demo gallery when no ARM endpoint is configured (`GG_ARM_ENDPOINT` empty,
 * as in local.settings.sample.json; set it, even to https://management.azure.com, to use real Azure).
 * It also points validation at the simulator's validation subnets and shortens the engine's real-time
 * waits, so the six demo versions are decided in seconds; once the runner is up the demo publishes
 * their events (see run-demo.ts).
 */
export const armSimulatorService: LocalService = {
  name: 'ARM simulator',
  async start(env) {
    if ((env.GG_ARM_ENDPOINT ?? '') !== '' || (env.GG_ARM_CA_CERT_PATH ?? '') !== '') return undefined;
    const dir = join(process.cwd(), '.local', 'arm-sim');
    mkdirSync(dir, { recursive: true });
    const sim = await startArmSimulator({
      timeScale: 300,
      caCertPath: join(dir, 'ca.pem'),
      onError: () => undefined,
    });
    const subnets = Object.fromEntries(
      DEMO.regions.map((r) => [
        r,
        `${VRG}/providers/Microsoft.Network/virtualNetworks/vnet-gg-validation-${r}/subnets/validation`,
      ]),
    );
    return {
      env: {
        GG_ARM_ENDPOINT: sim.endpoint,
        GG_ARM_CA_CERT_PATH: sim.caCertPath,
        GG_ARM_POLL_INTERVAL_MS: '25',
        GG_VALIDATION_SUBSCRIPTION_ID: DEMO.subscriptionId,
        GG_VALIDATION_RESOURCE_GROUP: DEMO.validationResourceGroup,
        GG_VALIDATION_SUBNETS: JSON.stringify(subnets),
        GG_VALIDATION_POLL_MS: '300',
        GG_VALIDATION_SLOT_WAIT_MS: '300',
        GG_INFRA_BACKOFF_MS: '100',
        GG_BOOT_TIMEOUT_SECONDS: '5',
        GG_VALIDATION_CLAIM_SECONDS: '20',
        GG_RECONCILE_GRACE_MS: '2000',
      },
      describe: [`ARM simulator (demo gallery ${DEMO.gallery}, time x${sim.timeScale}): ${sim.endpoint}`],
      afterStart: runDemo,
      close: () => sim.close(),
    };
  },
};
