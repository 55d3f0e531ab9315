import { join } from 'node:path';
import { startAzurite } from './azurite';
import { dataDir, type LocalService } from './local-service';

/** Azurite under `.azurite/` (`.azurite-<port>/` for another GG_LOCAL_PORT) unless AzureWebJobsStorage points at real storage. */
export const azuriteService: LocalService = {
  name: 'Azurite',
  async start(env, { port }) {
    const configured = env.AzureWebJobsStorage ?? '';
    const wantsLocal = configured === '' || /UseDevelopmentStorage=true/i.test(configured);
    if (!wantsLocal || env.AzureWebJobsStorage__accountName !== undefined) return undefined;
    const location = join(process.cwd(), dataDir('.azurite', port));
    const azurite = await startAzurite({ location });
    return {
      env: { AzureWebJobsStorage: azurite.connectionString },
      describe: [
        `Azurite (data in ${location}): blob ${azurite.blobPort}, queue ${azurite.queuePort}, table ${azurite.tablePort}`,
      ],
      close: () => azurite.close(),
    };
  },
};
