import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, startArmSimulator } from '../arm-sim';
import { dataDir, type LocalService } from '../local-service';
import { demoValidationSettings } from './demo-validation-settings';
import { runDemo } from './run-demo';

/**
 * The ARM simulator with the demo gallery when no ARM endpoint is configured (`GG_ARM_ENDPOINT` empty,
 * as in local.settings.sample.json; set it, even to https://management.azure.com, to use real Azure).
 * It also points validation at the simulator's validation subnets and shortens the engine's real-time
 * waits, so the six demo versions are decided in seconds; once the runner is up the demo publishes
 * their events (see run-demo.ts).
 */
export const armSimulatorService: LocalService = {
  name: 'ARM simulator',
  async start(env, { port }) {
    if ((env.GG_ARM_ENDPOINT ?? '') !== '' || (env.GG_ARM_CA_CERT_PATH ?? '') !== '') return undefined;
    // Per port: a second instance's simulator has its own CA, which must not replace this one's.
    const dir = join(process.cwd(), '.local', dataDir('arm-sim', port));
    mkdirSync(dir, { recursive: true });
    const sim = await startArmSimulator({
      timeScale: 300,
      caCertPath: join(dir, 'ca.pem'),
      onError: () => undefined,
    });
    return {
      env: demoValidationSettings(sim),
      describe: [
        `ARM simulator (demo gallery ${DEMO.gallery}, time x${sim.timeScale}): ${sim.endpoint}`,
        sim.guestSupport.mode === 'real'
          ? 'Linux guests: real (Debian 12 images booted with cloud-init; Windows and the kernel-panic image stay synthetic)'
          : `Linux guests: synthetic (${sim.guestSupport.reason ?? 'asked for'})`,
      ],
      afterStart: runDemo,
      close: () => sim.close(),
    };
  },
};
