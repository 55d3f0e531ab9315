/**
 * 403 AuthorizationFailed is gallery-guard's own access, never the image: right after a deployment it
 * is role propagation (retried, the run keeps waiting); once the grace period is over it ends the run
 * Inconclusive as a configuration error and pages the operators. Nothing is ever quarantined for it.
 */
import { startNotificationSinks, type NotificationSinks } from '../../local/sinks/notification-sinks';
import { readProgress } from '../../shared/validation/run/validation-state';
import { Phase } from '../../shared/validation/run/validation-phase';
import { eventually } from '../support/eventually';
import { startValidationHarness, versionIdOf, type ValidationHarness } from './validation-harness';

const DENY_VM_CREATE = [
  { operation: 'Microsoft.Compute/virtualMachines/write', kind: 'authorization-failed' as const },
];

describe('authorization failures', () => {
  let sinks: NotificationSinks;
  beforeAll(async () => {
    sinks = await startNotificationSinks();
  });
  afterAll(async () => {
    await sinks?.close();
  });

  const harness = (deployedAt: Date) =>
    startValidationHarness({
      faults: DENY_VM_CREATE,
      env: {
        GG_DEFAULT_MODE: 'quarantine',
        GG_DEPLOYED_AT: deployedAt.toISOString(),
        GG_AUTHORIZATION_GRACE_MINUTES: '30',
        GG_INFRA_RETRY_BUDGET: '2',
        GG_TEAMS_DEFAULT_WEBHOOK_URL: sinks.teamsUrl('default'),
        GG_PAGERDUTY_ROUTING_KEY: 'authz-routing-key',
        GG_PAGERDUTY_EVENTS_URL: sinks.pagerdutyUrl,
        GG_NOTIFY_RETRY_BASE_MS: '1',
      },
    });

  it('within the grace period after a deployment: waits (beyond the fault budget), then validates', async () => {
    const h: ValidationHarness = await harness(new Date());
    try {
      await h.publish('ubuntu-healthy');
      // Well past GG_INFRA_RETRY_BUDGET=2 failed creates, the run is still waiting, not Inconclusive.
      await eventually(() => Promise.resolve((h.sim.operationCounts().byOperation['Microsoft.Compute/virtualMachines/write'] ?? 0) >= 4 || undefined), {
        timeoutMs: 60_000,
        what: 'several refused VM creates',
      }); // prettier-ignore
      h.sim.setFaults([]); // the role assignment arrived
      const run = await h.finalRun('ubuntu-healthy', 90_000);
      expect(run.state).toBe('Passed');
    } finally {
      await h.close();
    }
  }, 180_000);

  it('after the grace period: Inconclusive as a configuration error, operators paged, nothing quarantined', async () => {
    const h: ValidationHarness = await harness(new Date(Date.now() - 2 * 3600_000));
    try {
      await h.publish('ubuntu-kernel-panic');
      const run = await h.finalRun('ubuntu-kernel-panic', 90_000);
      expect(run.state).toBe('Inconclusive');
      const progress = readProgress(run as Record<string, string>);
      expect(progress.phase).toBe(Phase.Complete);
      expect(progress.state.configurationError).toMatch(/^AuthorizationFailed/);
      const pages = await eventually(() => {
        const found = sinks.accepted('pagerduty').filter((p) => JSON.stringify(p.body).includes('configuration-error'));
        return Promise.resolve(found.length > 0 ? found : undefined);
      }, { timeoutMs: 30_000, what: 'a configuration-error page' }); // prettier-ignore
      expect(JSON.stringify(pages[0]?.body)).toContain(versionIdOf('ubuntu-kernel-panic').toLowerCase());
      expect(
        sinks.accepted('pagerduty').filter((p) => JSON.stringify(p.body).includes('version-failed')),
      ).toEqual([]);
    } finally {
      await h.close();
    }
  }, 180_000);
});
