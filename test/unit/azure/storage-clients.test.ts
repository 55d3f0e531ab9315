import type { TokenCredential } from '@azure/core-auth';
import { createStorageClients } from '../../../shared/azure/storage-clients';

const credential = (): TokenCredential => ({ getToken: () => Promise.resolve(null) });

describe('storage clients with an identity', () => {
  it('use the service URIs the deployment sets, so a sovereign cloud gets its own suffix', () => {
    const clients = createStorageClients(
      {
        accountName: 'ggacct',
        tableServiceUri: 'https://ggacct.table.core.usgovcloudapi.net/',
        queueServiceUri: 'https://ggacct.queue.core.usgovcloudapi.net/',
      },
      credential,
    );
    expect(clients.table('ggruns').url).toBe('https://ggacct.table.core.usgovcloudapi.net');
    expect(clients.queue('gg-runs').url).toBe('https://ggacct.queue.core.usgovcloudapi.net/gg-runs');
  });

  it("fall back to the public cloud's endpoints when only the account name is set", () => {
    const clients = createStorageClients({ accountName: 'ggacct' }, credential);
    expect(clients.table('ggruns').url).toBe('https://ggacct.table.core.windows.net');
    expect(clients.queue('gg-runs').url).toBe('https://ggacct.queue.core.windows.net/gg-runs');
  });
});
