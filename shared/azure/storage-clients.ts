import { TableClient } from '@azure/data-tables';
import type { TokenCredential } from '@azure/core-auth';
import { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import type { Config } from '../config';

/** Builds Table and Queue clients for the function app's storage account, from configuration only. */
export interface StorageClients {
  readonly table: (name: string) => TableClient;
  readonly queue: (name: string) => QueueClient;
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
    const queues = QueueServiceClient.fromConnectionString(connectionString);
    return {
      table: (name) => TableClient.fromConnectionString(connectionString, name, { allowInsecureConnection }),
      queue: (name) => queues.getQueueClient(name),
    };
  }
  if (accountName === undefined) throw new Error('No storage connection string or account name configured');
  // The service URIs the deployment sets follow the cloud (sovereign clouds have other suffixes);
  // the account name alone can only assume Azure's public cloud.
  const tables = (tableServiceUri ?? `https://${accountName}.table.core.windows.net`).replace(/\/+$/, '');
  const queues = (queueServiceUri ?? `https://${accountName}.queue.core.windows.net`).replace(/\/+$/, '');
  return {
    table: (name) => new TableClient(tables, name, credential()),
    queue: (name) => new QueueClient(`${queues}/${name}`, credential()),
  };
}
