import { CHECK_TABLE, STEP_TABLE } from '../../shared/validation/engine/validation-records';
import { readProgress } from '../../shared/validation/run/validation-state';
import { startValidationHarness, type ValidationHarness } from './validation-harness';

let h: ValidationHarness;
const IMAGES = [
  'ubuntu-healthy',
  'ubuntu-cloned',
  'ubuntu-kernel-panic',
  'ubuntu-agent-stuck',
  'windows-specialized',
  'windows-healthy',
] as const;
const runs: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  h = await startValidationHarness();
  for (const image of IMAGES) await h.publish(image);
  for (const image of IMAGES) runs[image] = await h.finalRun(image, 90_000);
}, 150_000);

afterAll(async () => {
  await h?.close();
});

const progressOf = (image: string) => readProgress(runs[image] as Record<string, string>).state;
const failedChecks = (image: string) =>
  progressOf(image)
    .checks.filter((c) => c.status === 'Failed')
    .map((c) => c.name);

describe('validation of the demo scenario', () => {
  it("stays within Compute's per-VM and subscription limits: no request throttled", () => {
    // The simulator enforces Compute's documented token buckets (compute-throttling-limits).
    expect(h.sim.throttledCounts()).toEqual({ total: 0, byPolicy: {} });
  });

  it('passes the healthy Linux and Windows images', () => {
    expect(runs['ubuntu-healthy']?.state).toBe('Passed');
    expect(runs['windows-healthy']?.state).toBe('Passed');
    const linux = progressOf('ubuntu-healthy');
    expect(linux.vms.map((v) => v.region).sort()).toEqual(['eastus', 'westeurope']);
    expect(linux.checks.find((c) => c.name === 'ssh-host-keys-unique')?.status).toBe('Passed');
  });

  it('fails the cloned image on its identity and leftovers', () => {
    expect(runs['ubuntu-cloned']?.state).toBe('Failed');
    expect(failedChecks('ubuntu-cloned')).toEqual(
      expect.arrayContaining(['ssh-host-keys-unique', 'machine-id-unique', 'leftover-secrets']),
    );
  });

  it('fails the kernel-panic image on its boot log', () => {
    expect(runs['ubuntu-kernel-panic']?.state).toBe('Failed');
    expect(failedChecks('ubuntu-kernel-panic')).toContain('boot-log');
    const evidence = progressOf('ubuntu-kernel-panic').checks.find((c) => c.name === 'boot-log')?.evidence;
    expect(evidence).toContain('Kernel panic - not syncing');
  });

  it('fails the image whose agent never becomes Ready', () => {
    expect(runs['ubuntu-agent-stuck']?.state).toBe('Failed');
    expect(failedChecks('ubuntu-agent-stuck')).toEqual(['guest-agent', 'guest-agent']);
  });

  it('validates the specialized Windows image without an osProfile, expecting its shared identity', () => {
    expect(runs['windows-specialized']?.state).toBe('Passed');
    const state = progressOf('windows-specialized');
    expect(state.checks.find((c) => c.name === 'identity-unique')?.status).toBe('Skipped');
    expect(state.vms.every((v) => v.computerName === undefined)).toBe(true);
  });

  it('deletes every VM, NIC and disk it created', () => {
    expect(h.liveValidationResources()).toEqual([]);
  });

  it('records steps and checks in Table Storage', async () => {
    const runId = `${String(runs['ubuntu-healthy']?.partitionKey)}/${String(runs['ubuntu-healthy']?.rowKey)}`;
    const steps: Record<string, unknown>[] = [];
    for await (const row of h.stack.table(STEP_TABLE).listEntities<Record<string, unknown>>()) {
      if (row.runId === runId) steps.push(row);
    }
    expect(steps.map((s) => s.phase)).toEqual(expect.arrayContaining(['Resolve', 'CreateVms', 'CleanUp']));
    expect(steps.every((s) => typeof s.armCalls === 'number' && typeof s.attempts === 'number')).toBe(true);
    let checks = 0;
    for await (const row of h.stack.table(CHECK_TABLE).listEntities<Record<string, unknown>>()) {
      if (row.runId === runId) checks++;
    }
    expect(checks).toBeGreaterThanOrEqual(6);
  });
});
