import { DEMO } from '../arm-sim/scenarios';
import { DEMO_VALIDATION_SUBNETS } from '../demo/demo-validation-settings';

/**
 * App settings under which the Functions entry registers every function (validation included). Loading
 * the entry builds clients but sends no request, so nothing needs to listen on these endpoints.
 */
export const STARTUP_SETTINGS: Readonly<Record<string, string>> = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  GG_GALLERY_SCOPES: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`,
  GG_VALIDATION_SUBSCRIPTION_ID: DEMO.subscriptionId,
  GG_VALIDATION_RESOURCE_GROUP: DEMO.validationResourceGroup,
  GG_VALIDATION_SUBNETS: JSON.stringify(DEMO_VALIDATION_SUBNETS),
};

/** This process's environment without gallery-guard or Functions settings, plus STARTUP_SETTINGS. */
export function startupEnv(): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(
    ([key]) => !key.startsWith('GG_') && !key.startsWith('AzureWebJobs'),
  );
  return { ...Object.fromEntries(inherited), ...STARTUP_SETTINGS };
}
