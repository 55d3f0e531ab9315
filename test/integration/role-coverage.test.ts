/**
 * The custom roles in infra/role-actions.json are exactly what the code needs: the production code
 * (real function definitions on the local runner: Event Grid webhook, run queue, validation engine,
 * verdict actions, missed-event sweep, orphan sweeper) runs against the ARM simulator, which records
 * every request by its Azure RBAC operation plus the linked-access checks ARM makes (subnet join, NIC
 * join, image version read, implicit disk write/delete). Every recorded operation must be granted,
 * and every granted action must have been exercised.
 */
import type { OperationCounts } from '../../local/arm-sim';
import { grantedActions, loadRoleSpecs } from '../unit/infra/role-actions';
import { startValidationHarness, type ValidationHarness } from './validation-harness';

let h: ValidationHarness;
let counts: OperationCounts;
beforeAll(async () => {
  // Quarantine mode, so a failed version is PATCHed (versions/write) as in production.
  h = await startValidationHarness({ env: { GG_DEFAULT_MODE: 'quarantine' } });
  h.sim.resetOperationCounts();
  // Healthy: VM create, agent readiness, Run Command checks, delete. Kernel panic: boot diagnostics,
  // Failed verdict, quarantine PATCH. Both through the Event Grid webhook and the run queue.
  await Promise.all([h.publish('ubuntu-healthy'), h.publish('ubuntu-kernel-panic')]);
  await Promise.all([h.finalRun('ubuntu-healthy', 150_000), h.finalRun('ubuntu-kernel-panic', 150_000)]);
  // The timers: orphan sweeper (lists VMs and NICs) and missed-event sweep (lists definitions and
  // versions of the guarded galleries). Counts are taken right after: runs the sweep queues for the
  // other demo images may add operations, which must be granted too.
  await h.stack.runner.triggerTimer('validation-orphan-sweeper');
  await h.stack.runner.triggerTimer('validation-missed-event-sweep');
  counts = h.sim.operationCounts();
}, 240_000);

afterAll(async () => {
  await h?.close();
});

const observed = () =>
  new Set(
    [...Object.keys(counts.byOperation), ...Object.keys(counts.linkedAccess)].map((a) => a.toLowerCase()),
  );

describe('least-privilege roles (infra/role-actions.json)', () => {
  const granted = grantedActions(loadRoleSpecs());

  it('grant every ARM operation the code performed', () => {
    expect(counts.total).toBeGreaterThan(0);
    const missing = [...observed()].filter((action) => !granted.has(action)).sort();
    expect(
      missing.map((a) => `${a} is performed by the code but not granted in infra/role-actions.json`),
    ).toEqual([]);
  });

  it('grant nothing the code did not use', () => {
    const seen = observed();
    const unused = [...granted].filter((action) => !seen.has(action)).sort();
    expect(unused.map((a) => `${a} is granted but never used by the code`)).toEqual([]);
  });
});
