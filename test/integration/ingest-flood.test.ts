import { startBenchStack, type BenchStack } from '../../local/bench/bench-stack';
import { floodFigures, runDeliveryFlood, type FloodReport } from '../../local/bench/delivery-flood-run';
import { FLOOD_SOURCES } from '../../local/bench/flood-payloads';
import type { VersionOutcome } from '../../local/bench/flood-state';
import { demoValidationSettings } from '../../local/demo/demo-validation-settings';

/**
 * Acceptance 3 (issue 11): 1,000 deliveries (30 % exact redeliveries, Event Grid schema, CloudEvents
 * and Activity Log alerts, shuffled, 20 in flight) over 100 real versions, over HTTP with the function
 * key to the real function definitions; every validation runs to its verdict. Counted from state: run
 * rows in the Table, VMs the simulator created per image version, what is left in the simulator.
 */
const VERSIONS = 100;
const DELIVERIES = 1000;
const SEED = 20261202;
const CONCURRENCY = 20;

/** One line per version that went wrong, so a failure reads as a list, not a dump. */
const describeOutcome = (v: VersionOutcome): string =>
  `${v.versionId.split('/').at(-1)}: ${v.runs} runs (${v.finished} finished), ${v.vmSets} VM sets, ${v.vmsCreated} VMs, recreated [${v.recreated.join()}], plan ${v.vmsMatchPlan ? 'matched' : 'not matched'}`;

let stack: BenchStack;
let report: FloodReport;

beforeAll(async () => {
  stack = await startBenchStack({
    timeScale: 600,
    instances: 2,
    logLevel: 'error',
    settings: (sim) => ({
      ...demoValidationSettings({ ...sim, guestSupport: { mode: 'synthetic' } }),
      GG_MAX_VMS_PER_SUBSCRIPTION: '48',
      GG_MAX_VMS_PER_REGION: '48',
    }),
  });
  report = await runDeliveryFlood(stack, {
    versions: VERSIONS,
    deliveries: DELIVERIES,
    duplicateShare: 0.3,
    concurrency: CONCURRENCY,
    seed: SEED,
    // A Windows image: the simulator generates no SSH host keys and runs no guest scripts on the host
    // for it, so 200 VMs fit a CI budget; ingest and the engine do the same work for either OS.
    image: 'windows-healthy',
    // Past this the outcome is read as it stands, so a regression fails the assertions below.
    deadlineMs: 270_000,
  });
}, 360_000);

afterAll(async () => {
  if (report !== undefined)
    console.log(
      floodFigures(report)
        .map(([k, v]) => `${k.padEnd(48)} ${v}`)
        .join('\n'),
    );
  await stack?.close();
});

describe(`a flood of ${DELIVERIES} deliveries over ${VERSIONS} versions (seed ${SEED})`, () => {
  it('sends 700 distinct signals and 300 exact redeliveries from three sources, 20 in flight, and none is answered 5xx', () => {
    const { results } = report.send;
    expect(results).toHaveLength(DELIVERIES);
    expect(results.filter((r) => r.delivery.redelivery)).toHaveLength(300);
    for (const source of FLOOD_SOURCES) {
      const distinct = results.filter((r) => r.delivery.source === source && !r.delivery.redelivery);
      expect([source, distinct.length >= 233]).toEqual([source, true]);
    }
    expect(report.send.peakInFlight).toBe(CONCURRENCY);
    // Every delivery is a valid write of an existing version: 200, never a 5xx (Event Grid would retry).
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });

  it('leaves exactly one run per version, each with its verdict', () => {
    const wrong = report.state.versions.filter((v) => v.runs !== 1 || v.finished !== 1);
    expect(wrong.map(describeOutcome)).toEqual([]);
    expect(report.state.versions.flatMap((v) => v.verdicts)).toEqual(Array(VERSIONS).fill('Passed'));
    expect(report.state.strayRuns).toBe(0);
  });

  it("creates exactly one VM set per version: its run's planned VMs, each once", () => {
    const wrong = report.state.versions.filter(
      (v) => v.vmSets !== 1 || v.recreated.length > 0 || !v.vmsMatchPlan,
    );
    expect(wrong.map(describeOutcome)).toEqual([]);
  });

  it('leaves no VM, NIC or disk behind', () => {
    expect(report.state.leftovers.map((r) => `${r.type} ${r.name}`)).toEqual([]);
  });
});
