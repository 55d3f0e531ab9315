import type { Services } from '../shared/app/services';
import type { FunctionDefinition } from './function-definition';
import { orphanSweeperFunction } from './orphan-sweeper';
import { validationReconcilerFunction } from './validation-reconciler';
import { validationRunQueueFunction } from './validation-run-queue';
import { validationSweepFunction } from './validation-sweep';

/**
 * The validation engine's functions. Validation is switched on by configuring its subscription
 * (GG_VALIDATION_SUBSCRIPTION_ID); without it runs stay Queued and nothing deploys VMs.
 */
export function validationFunctions(services: Services): FunctionDefinition[] {
  if (services.config.validation.subscriptionId === undefined) return [];
  return [
    validationRunQueueFunction(services),
    validationReconcilerFunction(services),
    validationSweepFunction(services),
    orphanSweeperFunction(services),
  ];
}
