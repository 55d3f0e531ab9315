import type { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
import type { QueueClient } from '@azure/storage-queue';
import type { Config } from '../config';
import { loadStorageSdks } from './lazy-sdks';

/** Builds Table and Queue clients for the function app's storage account, from configuration only. */
export interface StorageClients {
  readonly table: (name: string) => TableClient;
  readonly queue: (name: string) => QueueClient;
}

/**
 * A client built on first use: the composition root hands Table and Queue clients to every ledger
 * when the app starts, but the Storage SDK (and the client) load only when one is first called, so
 * loading the Functions entry does not pay for them. Methods are bound to the real client.
 */
function deferred<T extends object>(build: () => T): T {
  let real: T | undefined;
  const client = (): T => (real ??= build());
  return new Proxy({} as T, {
    get: (_target, property) => {
      const target = client();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
    has: (_target, property) => Reflect.has(client(), property),
  });
}

/** One QueueServiceClient per connection string, built on first use (the SDK loads then). */
function queueServiceClientOf(connectionString: string) {
  return loadStorageSdks().QueueServiceClient.fromConnectionString(connectionString);
}

/** Connection strings that name a plain-http endpoint (Azurite) need the SDK's explicit opt-in. */
function isPlainHttp(connectionString: string): boolean {
  return (
    /UseDevelopmentStorage=true/i.test(connectionString) ||
    /DefaultEndpointsProtocol=http(;|$)/i.test(connectionString) ||
    /Endpoint=http:\/\//i.test(connectionString)
  );
}

/**
 * With a connection string (Azurite offline, or a key-based account) the clients use it; otherwise
 * identity-based access to `AzureWebJobsStorage__accountName` with the given credential.
 */
export function createStorageClients(
  storage: Config['storage'],
  credential: () => TokenCredential,
): StorageClients {
  const { connectionString, accountName, tableServiceUri, queueServiceUri } = storage;
  if (connectionString !== undefined) {
    const allowInsecureConnection = isPlainHttp(connectionString);
    let queues: ReturnType<typeof queueServiceClientOf> | undefined;
    return {
      table: (name) =>
        deferred(() =>
          loadStorageSdks().TableClient.fromConnectionString(connectionString, name, {
            allowInsecureConnection,
          }),
        ),
      queue: (name) =>
        deferred(() => (queues ??= queueServiceClientOf(connectionString)).getQueueClient(name)),
    };
  }
  if (accountName === undefined) throw new Error('No storage connection string or account name configured');
  // The service URIs the deployment sets follow the cloud (sovereign clouds have other suffixes);
  // the account name alone can only assume Azure's public cloud.
  const tables = (tableServiceUri ?? `https://${accountName}.table.core.windows.net`).replace(/\/+$/, '');
  const queues = (queueServiceUri ?? `https://${accountName}.queue.core.windows.net`).replace(/\/+$/, '');
  return {
    table: (name) => deferred(() => new (loadStorageSdks().TableClient)(tables, name, credential())),
    queue: (name) => deferred(() => new (loadStorageSdks().QueueClient)(`${queues}/${name}`, credential())),
  };
}
