/* eslint-disable @typescript-eslint/no-require-imports -- these requires are deliberately lazy */
import type * as ArmSdks from './arm-sdks';
import type * as IdentitySdk from './identity-sdk';
import type * as StorageSdks from './storage-sdks';

// Cold start: the Functions host answers Event Grid's handshake and first deliveries only once the
// entry has loaded, and none of them calls ARM or needs a token before its first Azure request
// (offline, none at all). The ARM SDKs (Compute, Network) and the identity SDK (with MSAL) were 600
// of the 1,020 modules the entry loaded, so they are required here, on first use, instead. The
// bundle build (local/build/bundle-functions.ts) keeps each as a file of its own. arm-clients.ts,
// the one module that constructs credentials and ARM clients, is their only user.

/** @azure/arm-compute and @azure/arm-network, loaded when the first ARM client is built. */
export function loadArmSdks(): typeof ArmSdks {
  return require('./arm-sdks') as typeof ArmSdks;
}

/** @azure/identity, loaded when the first credential is built. */
export function loadIdentitySdk(): typeof IdentitySdk {
  return require('./identity-sdk') as typeof IdentitySdk;
}

/**
 * @azure/data-tables and @azure/storage-queue, loaded when the first Table or Queue client is built
 * (or the first OData filter formatted): the entry's load and Event Grid's handshake need neither.
 */
export function loadStorageSdks(): typeof StorageSdks {
  return require('./storage-sdks') as typeof StorageSdks;
}
