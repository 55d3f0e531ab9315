import { DEMO } from '../arm-sim/scenarios';
import { localCredential } from '../azure/local-token-credential';
import { ARM_BUDGET_TABLE, TableArmBudget } from '../../shared/azure/arm-budget';
import {
  ArmCallLimiter,
  DEFAULT_LEASE,
  type ArmCallLimiterOptions,
} from '../../shared/azure/arm-call-limiter';
import { createServices, type Services } from '../../shared/app/services';
import { loadConfig, type Config } from '../../shared/config';

/**
 * N app instances side by side, as separate Function App workers would be: each with its own storage
 * clients, ARM limiter and (when shared) Table-backed ARM budget. Used by the shared-budget test and
 * `BENCH=arm-budget`, so both measure the same set-up.
 */
export interface ArmInstance {
  readonly services: Services;
  readonly limiter: ArmCallLimiter;
  readonly budget: TableArmBudget;
}

/** The configuration every instance loads: Azurite, the simulator, the demo gallery in scope. */
export function armInstanceConfig(
  storageConnectionString: string,
  sim: { readonly endpoint: string; readonly caCertPath: string },
): Config {
  return loadConfig({
    AzureWebJobsStorage: storageConnectionString,
    GG_ARM_ENDPOINT: sim.endpoint,
    GG_ARM_CA_CERT_PATH: sim.caCertPath,
    GG_ARM_POLL_INTERVAL_MS: '250',
    GG_GALLERY_SCOPES: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`,
    GG_LOCAL_FUNCTION_KEY: 'arm-instances',
    GG_LOG_LEVEL: 'error',
  });
}

export function armInstances(
  config: Config,
  count: number,
  limits: Omit<ArmCallLimiterOptions, 'shared'>,
  shared: boolean,
): ArmInstance[] {
  return Array.from({ length: count }, () => {
    const quiet = { credential: localCredential, logSink: () => undefined };
    const budget = new TableArmBudget(createServices(config, quiet).storage.table(ARM_BUDGET_TABLE));
    const limiter = new ArmCallLimiter({
      ...limits,
      ...(shared ? { shared: { ...DEFAULT_LEASE, budget } } : {}),
    });
    return { services: createServices(config, { ...quiet, limiter }), limiter, budget };
  });
}

/** What the instances sent to ARM, and what the shared budget cost them in leases and Table calls. */
export function armInstanceTotals(instances: readonly ArmInstance[]): {
  sent: number;
  leases: number;
  tableReads: number;
  tableWrites: number;
} {
  const sum = (f: (i: ArmInstance) => number): number => instances.reduce((a, i) => a + f(i), 0);
  return {
    sent: sum((i) => i.limiter.sent.read + i.limiter.sent.write),
    leases: sum((i) => i.limiter.sharedStats.leases),
    tableReads: sum((i) => i.budget.tableOps.reads),
    tableWrites: sum((i) => i.budget.tableOps.writes),
  };
}
