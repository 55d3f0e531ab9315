/**
 * The operator API and `gg` over the demo scenario (acceptance of issue 14): a burst seen through
 * `gg inflight`, the six verdicts through `gg runs list`, one run in full through `gg runs show`,
 * `gg health`, and a poisoned run re-driven to its verdict with `gg poison redrive`.
 */
import type { InvocationContext } from '@azure/functions';
import { functionDefinitions } from '../../functions/definitions';
import type { FunctionDefinition, QueueFunctionDefinition } from '../../functions/function-definition';
import { decodeRunMessage } from '../../shared/ledger/run-queue';
import type { HealthReport } from '../../shared/operator/health';
import type { InFlightView } from '../../shared/operator/in-flight';
import type { RunList } from '../../shared/operator/list-runs';
import type { PoisonView } from '../../shared/operator/poison-queue';
import type { RunDetail } from '../../shared/operator/run-detail';
import { eventually } from '../support/eventually';
import { gg } from '../support/run-cli';
import { startValidationHarness, type ValidationHarness } from './validation-harness';

const BURST = [
  'ubuntu-healthy',
  'ubuntu-cloned',
  'ubuntu-kernel-panic',
  'ubuntu-agent-stuck',
  'windows-specialized',
];
const POISONED = 'windows-healthy';
const CAPS = { perSubscription: 4, perRegion: 2 };

let h: ValidationHarness;
let env: Record<string, string>;
/** While true, every delivery of the POISONED version's run message fails (a broken worker). */
let failPoisoned = false;

/** The real definitions, with the run queue's handler failing on demand for one version. */
function withFailingRunQueue(definitions: FunctionDefinition[]): FunctionDefinition[] {
  return definitions.map((d) => {
    if (d.trigger.type !== 'queue') return d;
    const queue = d as QueueFunctionDefinition;
    return {
      ...queue,
      handler: async (entry: unknown, context: InvocationContext) => {
        if (failPoisoned && decodeRunMessage(entry).partitionKey.includes(`|${POISONED}|`)) {
          throw new Error('worker broken on purpose');
        }
        await queue.handler(entry, context);
      },
    };
  });
}

beforeAll(async () => {
  h = await startValidationHarness({
    env: {
      GG_DEFAULT_MODE: 'quarantine',
      // The local runner stands in for App Service authentication (gg sends the operator principal).
      GG_APP_SERVICE_AUTH: 'true',
      GG_MAX_VMS_PER_SUBSCRIPTION: String(CAPS.perSubscription),
      GG_MAX_VMS_PER_REGION: String(CAPS.perRegion),
    },
    definitions: (services) => withFailingRunQueue(functionDefinitions(services)),
  });
  env = { GG_URL: h.stack.url, GG_KEY: h.stack.functionKey };
}, 60_000);

afterAll(async () => {
  await h?.close();
});

describe('gg over the demo scenario', () => {
  it('gg inflight during a burst shows slot use within the caps and the runs waiting for slots', async () => {
    await Promise.all(BURST.map((image) => h.publish(image)));
    const seen: InFlightView[] = [];
    await eventually(
      async () => {
        const result = await gg(['inflight', '-o', 'json'], env);
        expect(result.code).toBe(0);
        const view = result.json<InFlightView>();
        seen.push(view);
        return seen.some((v) => v.runs.length > 0) && view.runs.length === 0;
      },
      { timeoutMs: 150_000, intervalMs: 100, what: 'the burst to drain' },
    );
    for (const image of BURST) await h.finalRun(image, 30_000);

    for (const view of seen) {
      for (const slot of view.slots) expect(slot.used).toBeLessThanOrEqual(slot.cap);
      expect(view.slots.map((s) => s.scope)).toEqual(['subscription', 'eastus', 'westeurope']);
    }
    expect(Math.max(...seen.map((v) => v.slots[0]!.used))).toBeGreaterThan(0);
    const waiting = seen.filter((v) => v.waiters.length > 0);
    expect(waiting.length).toBeGreaterThan(0);
    expect(waiting[0]!.waiters[0]!.ref).toMatch(/\/1\.0\.0$/);
    expect(seen.some((v) => (v.byPhase.AcquireSlots ?? 0) > 0)).toBe(true);
    console.log(
      `burst: ${seen.length} inflight views, subscription slots used at most ${Math.max(...seen.map((v) => v.slots[0]!.used))}/${CAPS.perSubscription}, ` +
        `at most ${Math.max(...seen.map((v) => v.waiters.length))} waiters`,
    );

    const table = await gg(['inflight'], env, { isTty: true });
    expect(table.stdout).toMatch(/^Runs in flight: 0/);
    expect(table.stdout).toMatch(/VM slots\n\s+SCOPE\s+USED\s+CAP\n\s+subscription\s+0\s+4/);
  }, 200_000);

  it('gg poison redrive re-drives a poisoned run to its verdict, echoing the reason', async () => {
    failPoisoned = true;
    await h.publish(POISONED);
    const poisoned = await eventually(
      async () => {
        const view = (await gg(['poison', 'list', '-o', 'json'], env)).json<PoisonView>();
        return view.depth > 0 && view;
      },
      { timeoutMs: 40_000, intervalMs: 250, what: 'the run message in gg-runs-poison' },
    );
    expect(poisoned.messages).toEqual([
      expect.objectContaining({
        dequeueCount: expect.any(Number) as unknown,
        run: expect.objectContaining({ ref: `${POISONED}/1.0.0` }) as unknown,
      }),
    ]);

    const health = await gg(['health', '-o', 'json'], env);
    expect(health.code).toBe(6);
    const report = health.json<HealthReport>();
    expect(report.status).toBe('degraded');
    expect(report.queues).toEqual(
      expect.arrayContaining([
        { name: 'gg-runs-poison', depth: 1 },
        expect.objectContaining({ name: 'gg-runs' }),
      ]),
    );
    expect(report.problems.join('\n')).toMatch(/1 message\(s\) in gg-runs-poison/);

    failPoisoned = false;
    const refused = await gg(['poison', 'redrive', '--reason', 'x'], env);
    expect(refused.code).toBe(2); // neither a message id nor --all
    const redrive = await gg(
      ['poison', 'redrive', '--all', '--reason', 'worker fixed', '--by', 'dana'],
      env,
      { isTty: true },
    );
    expect(redrive.code).toBe(0);
    expect(redrive.stdout).toContain('Re-drove 1 message(s) onto the run queue.');
    expect(redrive.stdout).toContain('Reason recorded: "worker fixed" (by dana (local:dana))');
    const run = await h.finalRun(POISONED, 60_000);
    expect(run.state).toBe('Passed');
    expect((await gg(['poison', 'list', '-o', 'json'], env)).json<PoisonView>().depth).toBe(0);
    const detail = (await gg(['runs', 'show', `${POISONED}/1.0.0`, '-o', 'json'], env)).json<RunDetail>();
    expect(detail.operatorRequests).toEqual([
      expect.objectContaining({ kind: 'redrive', requestedBy: 'dana (local:dana)', reason: 'worker fixed' }),
    ]);
  }, 120_000);

  it('gg runs list -o json lists the six runs with their verdicts', async () => {
    const result = await gg(['runs', 'list', '-o', 'json'], env);
    expect(result.code).toBe(0);
    const { runs } = result.json<RunList>();
    expect(Object.fromEntries(runs.map((r) => [r.ref, r.verdict]))).toEqual({
      'ubuntu-healthy/1.0.0': 'Passed',
      'ubuntu-cloned/1.0.0': 'Failed',
      'ubuntu-kernel-panic/1.0.0': 'Failed',
      'ubuntu-agent-stuck/1.0.0': 'Failed',
      'windows-specialized/1.0.0': 'Passed',
      'windows-healthy/1.0.0': 'Passed',
    });
    expect(runs.map((r) => r.ref)[0]).toBe(`${POISONED}/1.0.0`); // newest first
    const failed = (await gg(['runs', 'list', '--verdict', 'failed', '-o', 'json'], env)).json<RunList>();
    expect(failed.runs.map((r) => r.image).sort()).toEqual([
      'ubuntu-agent-stuck',
      'ubuntu-cloned',
      'ubuntu-kernel-panic',
    ]);
    const paged = (await gg(['runs', 'list', '--limit', '4', '-o', 'json'], env)).json<RunList>();
    expect(paged.runs).toHaveLength(4);
    const rest = (
      await gg(
        ['runs', 'list', '--limit', '4', '--continuation-token', paged.continuationToken!, '-o', 'json'],
        env,
      )
    ).json<RunList>();
    expect([...paged.runs, ...rest.runs].map((r) => r.ref)).toEqual(runs.map((r) => r.ref));
  });

  it('gg runs show ubuntu-cloned/1.0.0 shows the failing checks with evidence and the remediation steps', async () => {
    const json = await gg(['runs', 'show', 'ubuntu-cloned/1.0.0', '-o', 'json'], env);
    expect(json.code).toBe(0);
    const detail = json.json<RunDetail>();
    const failing = detail.checks.filter((c) => c.status === 'Failed');
    expect(failing.map((c) => c.name)).toEqual(
      expect.arrayContaining(['ssh-host-keys-unique', 'machine-id-unique', 'leftover-secrets']),
    );
    expect(failing.every((c) => (c.evidence ?? '').length > 0)).toBe(true);
    expect(detail.remediation.map((r) => [r.action, r.status]).sort()).toEqual([
      ['end-of-life', 'Applied'],
      ['exclude-from-latest', 'Applied'],
    ]);
    expect(detail.phases.map((p) => p.phase)).toEqual(
      expect.arrayContaining(['Resolve', 'CreateVms', 'Decide', 'ActOnVerdict']),
    );
    expect(detail.phases.every((p) => p.seconds !== undefined && p.of === 13)).toBe(true);
    expect(detail.vms.map((v) => v.region).sort()).toEqual(['eastus', 'westeurope']);

    const table = await gg(['runs', 'show', 'ubuntu-cloned/1.0.0'], env, { isTty: true });
    expect(table.stdout).toMatch(/^ubuntu-cloned 1\.0\.0 {2}attempt 1 {2}Failed/);
    expect(table.stdout).toMatch(
      /Failing checks\n(.*\n)*\s+✗ ssh-host-keys-unique: VMs share SSH host keys.*\n\s+evidence: gg-/,
    );
    expect(table.stdout).toMatch(/Remediation steps\n(.*\n)*\s+exclude-from-latest\s+Applied/);
    expect(() => JSON.parse(table.stdout) as unknown).toThrow();
  });

  it('gg runs show names what it cannot find, and refuses a gallery outside the scopes', async () => {
    const missing = await gg(['runs', 'show', 'ubuntu-healthy/9.9.9'], env);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^gg: 404 no run for ubuntu-healthy\/9\.9\.9/);
    const outside = await gg(['runs', 'show', 'other_gallery/ubuntu-healthy/1.0.0'], env);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/no gallery named other_gallery in GG_GALLERY_SCOPES/);
  });

  it('gg health reports the queues, the poison depth and the last run of each timer', async () => {
    await h.stack.runner.triggerTimer('audit-retention');
    const result = await gg(['health', '-o', 'json'], env);
    expect(result.code).toBe(0);
    const report = result.json<HealthReport>();
    expect(report.status).toBe('ok');
    expect(report.queues).toEqual([
      { name: 'gg-runs', depth: expect.any(Number) as unknown },
      { name: 'gg-runs-poison', depth: 0 },
    ]);
    expect(report.timers.map((t) => t.name).sort()).toEqual([
      'audit-retention',
      'governance-audit',
      'governance-audit-digest',
      'queue-metrics',
      'rollout-redrive',
      'validation-missed-event-sweep',
      'validation-orphan-sweeper',
      'validation-reconciler',
    ]);
    const audit = report.timers.find((t) => t.name === 'audit-retention');
    expect(audit).toMatchObject({ schedule: '0 17 3 * * *', lastOutcome: 'succeeded' });
    expect(Date.parse(audit?.lastFinishedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    expect(report.timers.find((t) => t.name === 'validation-reconciler')?.lastOutcome).toBeUndefined();
    expect(report.storage.reachable).toBe(true);
    expect(report.arm.galleries).toEqual([
      expect.objectContaining({ gallery: 'gg_demo_gallery', reachable: true }),
    ]);
    expect(report.config.validation).toMatchObject({
      enabled: true,
      maxVmsPerSubscription: 4,
      regions: ['eastus', 'westeurope'],
    });
    const text = (await gg(['health'], env, { isTty: true })).stdout;
    expect(text).toMatch(/^Health: OK/);
    expect(text).toMatch(/audit-retention\s+0 17 3 \* \* \*\s+\d{4}-\d\d-\d\d \S+\s+succeeded/);
  });

  it('gg audit run and gg audit findings drive the governance audit', async () => {
    const run = await gg(['audit', 'run', '-o', 'json'], env);
    expect(run.code).toBe(0);
    expect(run.json<{ galleries: { status: string; versions: number }[] }>().galleries).toEqual([
      expect.objectContaining({ status: 'audited', versions: 6 }),
    ]);
    const findings = await gg(['audit', 'findings', '--state', 'all', '-o', 'json'], env);
    expect(findings.code).toBe(0);
    const { findings: list } = findings.json<{ findings: { rule: string; severity: string }[] }>();
    const table = await gg(['audit', 'findings', '--state', 'all'], env, { isTty: true });
    if (list.length === 0) expect(table.stdout).toBe('No findings.');
    else expect(table.stdout).toContain(`${list[0]!.severity.toUpperCase()}`);
    expect((await gg(['audit', 'findings', '--state', 'bogus'], env)).code).toBe(2);
  });

  it('release and revalidate accept image/version and echo the operator reason', async () => {
    const release = await gg(
      ['release', 'ubuntu-cloned/1.0.0', '--reason', 'cloned on purpose for a lab', '--by', 'erin'],
      env,
      {
        isTty: true,
      },
    );
    expect(release.code).toBe(0);
    expect(release.stdout).toMatch(/^release: released/);
    expect(release.stdout).toContain('Reason recorded: "cloned on purpose for a lab" (by erin (local:erin))');
    const again = await gg(
      ['revalidate', 'ubuntu-cloned/1.0.0', '--reason', 'lab image rebuilt', '-o', 'json'],
      env,
    );
    expect(again.code).toBe(0);
    expect(again.json()).toMatchObject({
      status: 'queued',
      operatorReason: 'lab image rebuilt',
      requestedBy: 'test-operator (local:test-operator)',
    });
    const twice = await gg(['revalidate', 'ubuntu-cloned/1.0.0', '--reason', 'again'], env);
    expect(twice.code).toBe(4);
  });
});
