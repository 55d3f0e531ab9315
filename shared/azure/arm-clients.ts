import { readFileSync } from 'node:fs';
import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';
import type { Config } from '../config';
import { ConfigError } from '../config';

/** The ARM clients gallery-guard uses, built once per subscription from configuration. */
export interface ArmClients {
  readonly subscriptionId: string;
  readonly compute: ComputeManagementClient;
  readonly network: NetworkManagementClient;
  /** Pass to every begin* call: `{ ...clients.pollOptions }` (the SDKs take the interval per call). */
  readonly pollOptions: { readonly updateIntervalInMs: number };
}

/**
 * A fixed bearer token for the offline ARM simulator, which accepts any token. Used only when a CA
 * for the simulator is configured (GG_ARM_CA_CERT_PATH); never sent to real Azure because the
 * endpoint is then the simulator's.
 */
export class LocalStaticTokenCredential implements TokenCredential {
  getToken(): Promise<AccessToken> {
    return Promise.resolve({
      token: 'gallery-guard-local-simulator',
      expiresOnTimestamp: Date.now() + 3600_000,
    });
  }
}

function readCa(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError('GG_ARM_CA_CERT_PATH', `cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * Builds the Compute and Network clients: in Azure with DefaultAzureCredential (managed identity)
 * against config.arm.endpoint; offline against the ARM simulator, trusting its CA through the
 * clients' tlsOptions and using a static local token. Same code path otherwise.
 */
export function createArmClients(
  config: Pick<Config, 'arm'>,
  subscriptionId: string,
  overrides: { readonly credential?: TokenCredential } = {},
): ArmClients {
  const { endpoint, caCertPath, pollIntervalMs } = config.arm;
  const ca = caCertPath === undefined ? undefined : readCa(caCertPath);
  const credential =
    overrides.credential ??
    (ca === undefined ? new DefaultAzureCredential() : new LocalStaticTokenCredential());
  const common = {
    endpoint,
    ...(ca === undefined ? {} : { tlsOptions: { ca } }),
    userAgentOptions: { userAgentPrefix: 'gallery-guard' },
  };
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
