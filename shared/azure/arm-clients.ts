import { readFileSync } from 'node:fs';
import type { ComputeManagementClient } from '@azure/arm-compute';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/core-auth';
import type { Config } from '../config';
import { ConfigError } from '../config';
import type { ArmCallLimiter } from './arm-call-limiter';
import { loadArmSdks, loadIdentitySdk } from './lazy-sdks';
import { armMetricsPolicy } from '../telemetry/arm-metrics-policy';

/** The ARM clients gallery-guard uses, built once per subscription from configuration. */
export interface ArmClients {
  readonly subscriptionId: string;
  readonly compute: ComputeManagementClient;
  readonly network: NetworkManagementClient;
  /** Pass to every begin* call: `{ ...clients.pollOptions }` (the SDKs take the interval per call). */
  readonly pollOptions: { readonly updateIntervalInMs: number };
}

/** The credential of the deployed app: managed identity in Azure, developer sign-in elsewhere. */
export function defaultAzureCredential(): TokenCredential {
  const { DefaultAzureCredential } = loadIdentitySdk();
  return new DefaultAzureCredential();
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('GG_ARM_CA_CERT_PATH', `cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * Builds the Compute and Network clients against config.arm.endpoint with the given credential,
 * trusting GG_ARM_CA_CERT_PATH (a private CA, e.g. the offline simulator's) when one is configured.
 */
export function createArmClients(
  config: Pick<Config, 'arm'>,
  subscriptionId: string,
  credential: TokenCredential,
  ca: string | undefined = config.arm.caCertPath === undefined ? undefined : readCa(config.arm.caCertPath),
): ArmClients {
  const { endpoint, pollIntervalMs } = config.arm;
  const common = {
    endpoint,
    ...(ca === undefined ? {} : { tlsOptions: { ca } }),
    userAgentOptions: { userAgentPrefix: 'gallery-guard' },
    additionalPolicies: [{ policy: armMetricsPolicy(), position: 'perRetry' as const }],
  };
  const { ComputeManagementClient, NetworkManagementClient } = loadArmSdks();
  return {
    subscriptionId,
    compute: new ComputeManagementClient(credential, subscriptionId, common),
    // The Network client builds request URLs from $host, not from endpoint.
    network: new NetworkManagementClient(credential, subscriptionId, {
      ...common,
      $host: endpoint.replace(/\/+$/, ''),
    }),
    pollOptions: { updateIntervalInMs: pollIntervalMs },
  };
}

/**
 * ARM clients per subscription, built once each, all behind one call limiter and one credential: the
 * only way production code reaches ARM. The CA file is read once, when the factory is built.
 */
export class ArmClientFactory {
  private readonly built = new Map<string, ArmClients>();
  /** The private CA configured for ARM (and the serial-log blobs it hands out), read once. */
  readonly ca: string | undefined;

  constructor(
    private readonly config: Pick<Config, 'arm'>,
    private readonly credential: () => TokenCredential,
    private readonly limiter: ArmCallLimiter,
  ) {
    this.ca = config.arm.caCertPath === undefined ? undefined : readCa(config.arm.caCertPath);
  }

  clients(subscriptionId: string): ArmClients {
    const key = subscriptionId.toLowerCase();
    let clients = this.built.get(key);
    if (clients === undefined) {
      clients = createArmClients(this.config, subscriptionId, this.credential(), this.ca);
      clients.compute.pipeline.addPolicy(this.limiter.policy(), { afterPhase: 'Retry' });
      clients.network.pipeline.addPolicy(this.limiter.policy(), { afterPhase: 'Retry' });
      this.built.set(key, clients);
    }
    return clients;
  }

  compute(subscriptionId: string): ComputeManagementClient {
    return this.clients(subscriptionId).compute;
  }
}
