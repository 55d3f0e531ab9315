import type { AccessToken, TokenCredential } from '@azure/core-auth';

/**
 * A fixed bearer token for the offline ARM simulator, which accepts any token. Only offline
 * composition roots (npm start, tests, bench) pass it to createServices; production code never sees it.
 */
export class LocalStaticTokenCredential implements TokenCredential {
  getToken(): Promise<AccessToken> {
    return Promise.resolve({
      token: 'gallery-guard-local-simulator',
      expiresOnTimestamp: Date.now() + 3600_000,
    });
  }
}

export const localCredential = new LocalStaticTokenCredential();
