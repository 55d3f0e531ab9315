import { ConfigError, type Config } from '../../config';
import type { ValidationOptions } from '../run/validation-context';

/** The engine's knobs from configuration; validation needs GG_VALIDATION_SUBSCRIPTION_ID. */
export function validationOptions(config: Config): ValidationOptions {
  const v = config.validation;
  if (v.subscriptionId === undefined)
    throw new ConfigError('GG_VALIDATION_SUBSCRIPTION_ID', 'required for validation');
  return {
    subscriptionId: v.subscriptionId,
    resourceGroup: v.resourceGroup,
    subnets: v.subnets,
    replicationTimeoutMs: v.replicationTimeoutSeconds * 1000,
    bootTimeoutMs: v.bootTimeoutSeconds * 1000,
    vmTtlMs: v.vmTtlMinutes * 60_000,
    pollMs: v.pollMs,
    unconfirmedWaitMs: v.unconfirmedWaitMinutes * 60_000,
    slotWaitMs: v.slotWaitMs,
    infraBackoffMs: v.infraBackoffMs,
    infraRetryBudget: v.infraRetryBudget,
    adminUsername: v.adminUsername,
    claimMs: v.claimSeconds * 1000,
    checkScripts: v.checkScripts,
    runCommandPollMs: Math.max(config.arm.pollIntervalMs, 0),
    authorization: config.authorization,
    inventory: config.inventory,
  };
}
