import { odata } from '@azure/data-tables';
import { DEMO, GUEST_PROFILES } from '../../local/arm-sim';
import { RUN_TABLE, isTerminalRunState, type RunState } from '../../shared/ledger';
import { readProgress } from '../../shared/validation/run/validation-state';
import { Phase } from '../../shared/validation/run/validation-phase';
import { eventGridWrite } from '../support/event-payloads';
import { eventually } from '../support/eventually';
import { GALLERY_ID, startValidationHarness, type ValidationHarness } from './validation-harness';

/**
 * A run belongs to one instance of a version (ARM's publishedDate): an early write waits for the
 * version and then validates it; a version re-published under the same number is validated again.
 */
let h: ValidationHarness;

beforeAll(async () => {
  h = await startValidationHarness();
}, 60_000);

afterAll(async () => {
  await h?.close();
});

const idOf = (image: string, version: string): string => `${GALLERY_ID}/images/${image}/versions/${version}`;

async function attempt(versionId: string, n: number): Promise<Record<string, unknown>> {
  return eventually(
    async () => {
      const filter = odata`versionKey eq ${versionId.toLowerCase()} and attempt eq ${n}`;
      for await (const row of h.stack.table(RUN_TABLE).listEntities<Record<string, unknown>>({
        queryOptions: { filter },
      })) {
        const done =
          isTerminalRunState(row.state as RunState) &&
          readProgress(row as Record<string, string>).phase === Phase.Complete;
        if (done) return row;
      }
      return undefined;
    },
    { timeoutMs: 90_000, intervalMs: 200, what: `attempt ${n} of ${versionId} to finish` },
  );
}

async function publishVersion(image: string, version: string): Promise<void> {
  const compute = h.stack.services.arm.compute(DEMO.subscriptionId);
  await compute.galleryImageVersions.beginCreateOrUpdateAndWait(
    DEMO.resourceGroup,
    DEMO.gallery,
    image,
    version,
    {
      location: 'eastus',
      publishingProfile: { targetRegions: [{ name: 'eastus', regionalReplicaCount: 1 }] },
      storageProfile: {
        source: {
          virtualMachineId: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-image-build/providers/Microsoft.Compute/virtualMachines/${image}-build`,
        },
      },
    },
    { updateIntervalInMs: 5 },
  );
}

async function post(versionId: string, eventId: string): Promise<string> {
  const response = await h.stack.post('events/eventgrid', eventGridWrite({ versionId, eventId }));
  expect(response.status).toBe(200);
  return (response.json as { outcomes: { decision: string }[] }).outcomes[0]!.decision;
}

const vmsOf = (row: Record<string, unknown>) => readProgress(row as Record<string, string>).state.vms;

describe('runs per instance of a version', () => {
  it('validates a version whose write signal arrived before ARM showed it', async () => {
    const versionId = idOf('ubuntu-kernel-panic', '2.0.0');
    expect(await post(versionId, 'early-write')).toBe('awaiting-arm');
    await publishVersion('ubuntu-kernel-panic', '2.0.0');
    expect(await post(versionId, 'real-write')).toBe('duplicate');
    const run = await attempt(versionId, 1);
    expect(run.state).toBe('Failed');
    expect(vmsOf(run).length).toBeGreaterThan(0);
  }, 120_000);

  it('validates a version deleted and published again under the same number with its new build', async () => {
    const image = 'ubuntu-healthy';
    const versionId = idOf(image, DEMO.version);
    expect(await post(versionId, 'first-build')).toBe('run-created');
    expect((await attempt(versionId, 1)).state).toBe('Passed');

    const compute = h.stack.services.arm.compute(DEMO.subscriptionId);
    await compute.galleryImageVersions.beginDeleteAndWait(
      DEMO.resourceGroup,
      DEMO.gallery,
      image,
      DEMO.version,
      { updateIntervalInMs: 5 },
    );
    h.sim.setGuestProfile(versionId, GUEST_PROFILES.kernelPanic);
    await publishVersion(image, DEMO.version);
    expect(await post(versionId, 'second-build')).toBe('run-created');
    const second = await attempt(versionId, 2);
    expect(second.state).toBe('Failed');
    expect(vmsOf(second).length).toBeGreaterThan(0);
    expect(h.liveValidationResources()).toEqual([]);
  }, 150_000);
});
