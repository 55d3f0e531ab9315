import type { Services } from '../shared/app/services';
import { activityLogWebhookFunction } from './activity-log-webhook';
import { auditRetentionFunction } from './audit-retention';
import { auditDigestFunction, auditFindingsFunction, auditHttpFunction, auditTimerFunction } from './audit';
import { dashboardAssetsFunction, dashboardPageFunction } from './dashboard';
import { eventGridWebhookFunction } from './eventgrid-webhook';
import type { FunctionDefinition } from './function-definition';
import { galleriesGetFunction } from './galleries-get';
import { healthGetFunction } from './health-get';
import { inflightGetFunction } from './inflight-get';
import { metricsGetFunction } from './metrics-get';
import { poisonListFunction, poisonRedriveFunction } from './poison-queue';
import { queueMetricsFunction } from './queue-metrics-timer';
import { runDetailGetFunction } from './run-detail-get';
import { rolloutRedriveFunction } from './rollout-redrive';
import { runsGetFunction } from './runs-get';
import { timersOf, withTimerRuns } from './timer-runs';
import { validationFunctions } from './validation-functions';
import {
  versionReleaseFunction,
  versionRevalidateFunction,
  versionRollbackFunction,
} from './version-actions';

/**
 * THE list of functions. It feeds both the Functions host (functions/index.ts) and the local runner,
 * so they cannot drift. Add a function by appending its `xxxFunction(services)` here.
 */
export function functionDefinitions(services: Services): FunctionDefinition[] {
  const work: FunctionDefinition[] = [
    // Ingest
    eventGridWebhookFunction(services),
    activityLogWebhookFunction(services),
    auditRetentionFunction(services),
    queueMetricsFunction(services),
    // Validation (only when a validation subscription is configured)
    ...validationFunctions(services),
    // Verdict actions: operators release or re-validate a version (admin key)
    versionReleaseFunction(services),
    versionRevalidateFunction(services),
    versionRollbackFunction(services),
    // Gate mode's regional rollouts: soak and replication waits end on this timer
    rolloutRedriveFunction(services),
    // Governance audit: daily timer, on-demand endpoint, findings, weekly digest per owner
    auditTimerFunction(services),
    auditHttpFunction(services),
    auditFindingsFunction(services),
    auditDigestFunction(services),
  ];
  return withTimerRuns(services, [
    ...work,
    // Operator read API (function key) and poison re-drive (admin key)
    runsGetFunction(services),
    runDetailGetFunction(services),
    inflightGetFunction(services),
    healthGetFunction(services, timersOf(work)),
    poisonListFunction(services),
    poisonRedriveFunction(services),
    // Dashboard: the page and its assets, and the gallery view it reads besides the API above
    galleriesGetFunction(services),
    metricsGetFunction(services),
    dashboardPageFunction(services),
    dashboardAssetsFunction(services),
  ]);
}
