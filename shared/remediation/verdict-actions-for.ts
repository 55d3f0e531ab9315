import type { ComputeManagementClient } from '@azure/arm-compute';
import { createArmClients } from '../azure/arm-clients';
import type { Services } from '../app/services';
import { createVerdictActionsDeps, type VerdictActionsDeps } from './verdict-actions-deps';

const built = new WeakMap<Services, VerdictActionsDeps>();

/** Verdict-action deps for functions outside the engine (release/re-validate), one set per Services. */
export function verdictActionsFor(services: Services): VerdictActionsDeps {
  let deps = built.get(services);
  if (deps === undefined) {
    const clients = new Map<string, ComputeManagementClient>();
    const compute = (subscriptionId: string): ComputeManagementClient => {
      const key = subscriptionId.toLowerCase();
      let client = clients.get(key);
      if (client === undefined) {
        client = createArmClients(services.config, subscriptionId).compute;
        clients.set(key, client);
      }
      return client;
    };
    deps = createVerdictActionsDeps(services, compute);
    built.set(services, deps);
  }
  return deps;
}
