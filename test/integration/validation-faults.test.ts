import type { FaultRule } from '../../local/arm-sim';
import { readProgress } from '../../shared/validation/run/validation-state';
import { startValidationHarness, type ValidationHarness } from './validation-harness';

/** About one ARM request in five fails: throttled (with Retry-After), 5xx, or its operation fails. */
const FAULTS: FaultRule[] = [
  { kind: 'throttle', rate: 0.07, retryAfterSeconds: 1 },
  { kind: 'server-error', rate: 0.07 },
  { kind: 'lro-failed', method: 'PUT', rate: 0.06 },
  { kind: 'lro-failed', method: 'POST', rate: 0.06 },
];
const HEALTHY = ['ubuntu-healthy', 'windows-healthy', 'windows-specialized'] as const;

let h: ValidationHarness;
const runs: Record<string, Record<string, unknown>> = {};

beforeAll(async () => {
  h = await startValidationHarness({ faults: FAULTS, seed: 7, env: { GG_INFRA_RETRY_BUDGET: '30' } });
  for (const image of [...HEALTHY, 'ubuntu-kernel-panic']) await h.publish(image);
  for (const image of [...HEALTHY, 'ubuntu-kernel-panic']) runs[image] = await h.finalRun(image, 150_000);
}, 200_000);

afterAll(async () => {
  await h?.close();
});

describe('validation under 20 % injected ARM failures', () => {
  it('injected faults really fired', () => {
    expect(h.sim.faults().fired).toBeGreaterThan(5);
  });

  it.each(HEALTHY)('never fails the healthy %s', (image) => {
    expect(['Passed', 'Inconclusive']).toContain(runs[image]?.state);
    const state = readProgress(runs[image] as Record<string, string>).state;
    expect(state.checks.filter((c) => c.status === 'Failed')).toEqual([]);
  });

  it('still reaches real verdicts despite the faults (retries, not give-ups)', () => {
    expect(HEALTHY.filter((image) => runs[image]?.state === 'Passed').length).toBeGreaterThanOrEqual(2);
  });

  it('still fails the broken image', () => {
    expect(['Failed', 'Inconclusive']).toContain(runs['ubuntu-kernel-panic']?.state);
  });

  it('leaves no validation resource behind', () => {
    expect(h.liveValidationResources()).toEqual([]);
  });
});
