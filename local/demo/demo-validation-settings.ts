import type { ArmSimulator } from '../arm-sim';
import type { GuestSupport } from '../arm-sim/guest/guest-mode';
import { DEMO } from '../arm-sim/scenarios';

const VALIDATION_GROUP = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.validationResourceGroup}`;

/** The demo scenario's validation subnet per region, as the simulator seeds them. */
export const DEMO_VALIDATION_SUBNETS: Readonly<Record<string, string>> = Object.fromEntries(
  DEMO.regions.map((r) => [
    r,
    `${VALIDATION_GROUP}/providers/Microsoft.Network/virtualNetworks/vnet-gg-validation-${r}/subnets/validation`,
  ]),
);

/**
 * Settings that point gallery-guard at a running simulator's demo scenario, with real-time waits
 * shortened so the demo versions are decided in seconds (the simulator's clock runs at its timeScale).
 * Shared by `npm start` and the integration tests, so both validate under the same settings.
 */
export function demoValidationSettings(
  sim: Pick<ArmSimulator, 'endpoint' | 'caCertPath'> & { readonly guestSupport: Pick<GuestSupport, 'mode'> },
): Record<string, string> {
  return {
    GG_ARM_ENDPOINT: sim.endpoint,
    GG_ARM_CA_CERT_PATH: sim.caCertPath,
    GG_ARM_POLL_INTERVAL_MS: '25',
    GG_VALIDATION_SUBSCRIPTION_ID: DEMO.subscriptionId,
    GG_VALIDATION_RESOURCE_GROUP: DEMO.validationResourceGroup,
    GG_VALIDATION_SUBNETS: JSON.stringify(DEMO_VALIDATION_SUBNETS),
    GG_VALIDATION_POLL_MS: '300',
    GG_VALIDATION_SLOT_WAIT_MS: '300',
    GG_INFRA_BACKOFF_MS: '100',
    // A real guest boots at real speed, whatever the time scale: seconds of cloud-init, more on a busy host.
    GG_BOOT_TIMEOUT_SECONDS: sim.guestSupport.mode === 'real' ? '300' : '5',
    GG_VALIDATION_CLAIM_SECONDS: '20',
    GG_RECONCILE_GRACE_MS: '2000',
  };
}
