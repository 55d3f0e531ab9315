import { versionReleaseFunction, versionRevalidateFunction } from '../../functions/version-actions';
import { runCli } from '../../cli/main';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import { claimDelivery, listDeliveries } from '../../shared/notify/delivery-ledger';
import { TransientActionError } from '../../shared/azure/action-errors';
import { runVerdictActions } from '../../shared/remediation/run-verdict-actions';
import {
  ActionStatus,
  listReleaseRows,
  readActionRow,
  writeActionRow,
} from '../../shared/remediation/remediation-ledger';
import type { VersionState } from '../../shared/remediation/version-state';
import { startLocalStack, type LocalStack } from '../support/local-stack';
import {
  report,
  startVerdictActionsHarness,
  versionIdOf,
  type VerdictActionsHarness,
} from './verdict-actions-harness';

let h: VerdictActionsHarness;

beforeAll(async () => {
  h = await startVerdictActionsHarness({ GG_ACTION_MAX_ATTEMPTS: '2' });
});

afterAll(async () => {
  await h?.close();
});

const keyOf = (image: string): string => parseImageVersionId(versionIdOf(image)).key;
const postsTo = (image: string, channel: 'teams' | 'pagerduty') =>
  h.sinks.posts.filter(
    (p) => p.channel === channel && JSON.stringify(p.body).includes(`/images/${image}/versions/`),
  );

describe('delivery through 429/5xx', () => {
  it('delivers one card and one page after retries, honouring Retry-After', async () => {
    h.sinks.inject({ channel: 'teams', status: 429, times: 2, retryAfterSeconds: 0 });
    h.sinks.inject({ channel: 'pagerduty', status: 503, times: 2 });
    const failed = report('ubuntu-kernel-panic', 'Failed', 'run-kp-9');
    await runVerdictActions(h.deps, failed, h.logger);
    await runVerdictActions(h.deps, failed, h.logger);

    expect(postsTo('ubuntu-kernel-panic', 'teams').map((p) => p.status)).toEqual([429, 429, 202]);
    expect(postsTo('ubuntu-kernel-panic', 'pagerduty').map((p) => p.status)).toEqual([503, 503, 202]);
    const rows = await listDeliveries(h.deps.notificationTable, keyOf('ubuntu-kernel-panic'));
    expect(rows.map((r) => [r.channel, r.status, r.attempts]).sort()).toEqual([
      ['pagerduty', 'Delivered', 3],
      ['teams', 'Delivered', 3],
    ]);
  });

  it('records a permanent failure (4xx) without retrying or resending', async () => {
    h.sinks.inject({ channel: 'teams', status: 400, times: 1 });
    await runVerdictActions(h.deps, report('ubuntu-cloned', 'Inconclusive', 'run-cl-9'), h.logger);
    await runVerdictActions(h.deps, report('ubuntu-cloned', 'Inconclusive', 'run-cl-9'), h.logger);
    expect(postsTo('ubuntu-cloned', 'teams').map((p) => p.status)).toEqual([400]);
    const [row] = await listDeliveries(h.deps.notificationTable, keyOf('ubuntu-cloned'));
    expect(row).toMatchObject({ channel: 'teams', status: 'Failed', httpStatus: 400, lastError: 'HTTP 400' });
  });

  it('asks to be retried while a webhook keeps failing, then records the failure for good', async () => {
    h.sinks.inject({ channel: 'teams', status: 500, times: 100 });
    const inconclusive = report('windows-healthy', 'Inconclusive', 'run-wh-9');
    await expect(runVerdictActions(h.deps, inconclusive, h.logger)).rejects.toBeInstanceOf(
      TransientActionError,
    );
    const outcome = await runVerdictActions(h.deps, inconclusive, h.logger);
    expect(outcome.notifications).toEqual([
      expect.objectContaining({ channel: 'teams', status: 'failed', attempts: 6 }),
    ]);
    const [row] = await listDeliveries(h.deps.notificationTable, keyOf('windows-healthy'));
    expect(row).toMatchObject({ status: 'Failed', httpStatus: 500, attempts: 6 });
    await runVerdictActions(h.deps, inconclusive, h.logger);
    expect(postsTo('windows-healthy', 'teams')).toHaveLength(6);
    h.sinks.clearFaults();
  });
});

describe('retried verdicts', () => {
  it('patches once per action and sends one card when the step is retried after a Teams outage', async () => {
    h.sim.resetOperationCounts();
    h.sinks.inject({ channel: 'teams', status: 503, times: 3 }); // one invocation's worth of tries
    const failed = report('windows-specialized', 'Failed', 'run-ws-9');
    await expect(runVerdictActions(h.deps, failed, h.logger)).rejects.toBeInstanceOf(TransientActionError);
    const outcome = await runVerdictActions(h.deps, failed, h.logger);
    await runVerdictActions(h.deps, failed, h.logger);
    expect(outcome.actions.map((a) => [a.action, a.outcome])).toEqual([
      ['exclude-from-latest', 'applied'],
      ['end-of-life', 'applied'],
    ]);
    expect(h.sim.operationCounts().byOperation['Microsoft.Compute/galleries/images/versions/write']).toBe(2);
    expect(postsTo('windows-specialized', 'teams').map((p) => p.status)).toEqual([503, 503, 503, 202]);
    expect(h.pagesFor('windows-specialized')).toHaveLength(1);
  });
});

describe('crash safety of deliveries', () => {
  const claim = (runId: string, at: Date) =>
    claimDelivery(
      h.deps.notificationTable,
      { versionKey: keyOf('ubuntu-cloned'), runId, kind: 'Inconclusive', channel: 'teams' },
      {
        versionId: versionIdOf('ubuntu-cloned'),
        runId,
        kind: 'Inconclusive',
        channel: 'teams',
        destination: 'teams:operators',
      },
      at,
      60_000,
    );

  it('waits for a claim held by a live instance, and takes over one whose holder crashed', async () => {
    const live = await claim('run-cl-live', new Date());
    expect(live.kind).toBe('claimed');
    await expect(
      runVerdictActions(h.deps, report('ubuntu-cloned', 'Inconclusive', 'run-cl-live'), h.logger),
    ).rejects.toThrow(/being delivered by another instance/);

    await claim('run-cl-crashed', new Date(Date.now() - 120_000)); // lease long expired
    const before = postsTo('ubuntu-cloned', 'teams').length;
    const outcome = await runVerdictActions(
      h.deps,
      report('ubuntu-cloned', 'Inconclusive', 'run-cl-crashed'),
      h.logger,
    );
    expect(outcome.notifications).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(postsTo('ubuntu-cloned', 'teams')).toHaveLength(before + 1);
  });
});

describe('a quarantine PATCH whose sender was killed', () => {
  it('is recorded Applied, from the state the killed attempt read, when its PATCH had landed', async () => {
    const image = 'windows-healthy';
    const before = await h.readVersion(image);
    expect(before.excludeFromLatest).toBe(false);
    // What an instance SIGKILLed right after its PATCH leaves behind: the intent row, the change made.
    await writeActionRow(h.deps.remediationTable, keyOf(image), {
      action: 'exclude-from-latest',
      runId: 'run-wh-killed',
      status: ActionStatus.Patching,
      reason: 'verdict Failed',
      attempts: 0,
      at: new Date().toISOString(),
      sentPatchBefore: JSON.stringify(before),
    });
    await h.setExcluded(image, true, {});

    const outcome = await runVerdictActions(h.deps, report(image, 'Failed', 'run-wh-killed'), h.logger);
    expect(outcome.actions).toContainEqual(
      expect.objectContaining({ action: 'exclude-from-latest', outcome: 'applied' }),
    );
    const row = await readActionRow(
      h.deps.remediationTable,
      keyOf(image),
      'run-wh-killed',
      'exclude-from-latest',
    );
    expect(row?.status).toBe(ActionStatus.Applied);
    expect((JSON.parse(row?.before ?? '{}') as VersionState).excludeFromLatest).toBe(false);
  });

  it('is Skipped when the change was in place before this step sent anything', async () => {
    const image = 'windows-healthy';
    const outcome = await runVerdictActions(h.deps, report(image, 'Failed', 'run-wh-later'), h.logger);
    expect(outcome.actions).toContainEqual(
      expect.objectContaining({ action: 'exclude-from-latest', outcome: 'skipped' }),
    );
  });
});

describe('remediation failure', () => {
  it('retries a throttled PATCH, then records the failure and pages on-call (critical) once', async () => {
    h.sim.setFaults([
      {
        method: 'PATCH',
        pathPattern: 'images/ubuntu-healthy/versions',
        kind: 'throttle',
        retryAfterSeconds: 0,
      },
    ]);
    try {
      const failed = report('ubuntu-healthy', 'Failed', 'run-uh-9');
      await expect(runVerdictActions(h.deps, failed, h.logger)).rejects.toBeInstanceOf(TransientActionError);
      const outcome = await runVerdictActions(h.deps, failed, h.logger);
      expect(outcome.status).toBe('remediation-failed');
      expect(outcome.actions).toEqual([
        expect.objectContaining({ action: 'exclude-from-latest', outcome: 'failed' }),
      ]);
      await runVerdictActions(h.deps, failed, h.logger);
      const pages = h.pagesFor('ubuntu-healthy');
      expect(pages).toHaveLength(1);
      expect(pages[0]?.payload?.severity).toBe('critical');
      expect(await h.readVersion('ubuntu-healthy')).toMatchObject({ excludeFromLatest: false });
    } finally {
      h.sim.setFaults([]);
    }
  });
});

describe('operator API and CLI', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    stack = await startLocalStack({
      azurite: h.azurite,
      // The local runner stands in for App Service authentication (see cli/local-principal.ts).
      env: { ...h.env, GG_APP_SERVICE_AUTH: 'true' },
      definitions: (services) => [versionReleaseFunction(services), versionRevalidateFunction(services)],
    });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const cli = (args: string[], key = stack.functionKey) => {
    const lines: string[] = [];
    const errors: string[] = [];
    return runCli([...args, '-o', 'json'], {
      env: { GG_URL: stack.url, GG_KEY: key },
      fetch,
      print: (l) => lines.push(l),
      printError: (l) => errors.push(l),
      isTty: false,
      localSettings: () => ({}),
      operator: 'cli-user',
    }).then((code) => ({
      code,
      json: lines.length > 0 ? (JSON.parse(lines.join('\n')) as Record<string, unknown>) : undefined,
      errors: errors.join('\n'),
    }));
  };

  it('releases a quarantined version via the CLI and records who and why', async () => {
    await runVerdictActions(h.deps, report('ubuntu-agent-stuck', 'Failed', 'run-as-9'), h.logger);
    expect(await h.readVersion('ubuntu-agent-stuck')).toMatchObject({ excludeFromLatest: true });

    const result = await cli([
      'release',
      versionIdOf('ubuntu-agent-stuck'),
      '--reason',
      'agent fixed upstream',
      '--by',
      'bob',
    ]);
    expect(result.code).toBe(0);
    expect(result.json).toMatchObject({ status: 'released', operatorReason: 'agent fixed upstream' });
    expect(await h.readVersion('ubuntu-agent-stuck')).toMatchObject({ excludeFromLatest: false });
    const rows = await listReleaseRows(h.deps.remediationTable, keyOf('ubuntu-agent-stuck'));
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'release',
        requestedBy: 'bob (local:bob)',
        reason: 'agent fixed upstream',
      }),
    ]);
    expect(h.pagesFor('ubuntu-agent-stuck').map((p) => p.event_action)).toEqual(['trigger', 'resolve']);
  });

  it('queues a re-validation run and refuses a second one while it is queued', async () => {
    const first = await cli([
      'revalidate',
      versionIdOf('windows-specialized'),
      '--reason',
      'new agent build',
    ]);
    expect(first.code).toBe(0);
    expect(first.json).toMatchObject({ status: 'queued', requestedBy: 'cli-user (local:cli-user)' });
    const runs = await stack.services.ledger.listAttempts(
      parseImageVersionId(versionIdOf('windows-specialized')),
    );
    expect(runs.map((r) => [r.attempt, r.state, r.sources])).toEqual([[1, 'Queued', ['manual']]]);
    const second = await cli(['revalidate', versionIdOf('windows-specialized'), '--reason', 'again']);
    expect(second.code).toBe(4);
    expect(second.errors).toMatch(/^gg: 409 /);
  });

  it('requires the key, a reason and a verified operator; only the verified principal is recorded', async () => {
    const principal = (claims: { typ: string; val: string }[]) => ({
      'x-ms-client-principal': Buffer.from(JSON.stringify({ auth_typ: 'aad', claims })).toString('base64'),
    });
    const oid = { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-carol' };
    const operator = principal([
      oid,
      { typ: 'preferred_username', val: 'carol@example.com' },
      { typ: 'roles', val: 'GalleryGuard.Operator' },
    ]);
    const wrongKey = await cli(['release', versionIdOf('ubuntu-healthy'), '--reason', 'x'], 'wrong-key');
    expect(wrongKey.code).toBe(5);
    expect(wrongKey.errors).toMatch(/^gg: 401/);
    const noReason = await stack.post(
      'versions/release',
      { versionId: versionIdOf('ubuntu-healthy') },
      { headers: operator },
    );
    expect(noReason.status).toBe(400);
    const outOfScope = await stack.post(
      'versions/release',
      { versionId: versionIdOf('ubuntu-healthy').replace('gg_demo_gallery', 'other_gallery'), reason: 'x' },
      { headers: operator },
    );
    expect(outOfScope.status).toBe(403);
    // The key alone, a claimed name and a body field are not an identity.
    const spoofed = await stack.post(
      'versions/release',
      { versionId: versionIdOf('ubuntu-healthy'), reason: 'check', requestedBy: 'ceo@example.com' },
      { headers: { 'x-ms-client-principal-name': 'ceo@example.com' } },
    );
    expect(spoofed.status).toBe(401);
    const notOperator = await stack.post(
      'versions/release',
      { versionId: versionIdOf('ubuntu-healthy'), reason: 'check' },
      { headers: principal([oid, { typ: 'preferred_username', val: 'carol@example.com' }]) },
    );
    expect(notOperator.status).toBe(403);
    const signedIn = await stack.post(
      'versions/release',
      { versionId: versionIdOf('ubuntu-healthy'), reason: 'check', requestedBy: 'ceo@example.com' },
      { headers: operator },
    );
    expect(signedIn.json).toMatchObject({
      requestedBy: 'carol@example.com (oid-carol)',
      status: 'nothing-to-release',
    });
  });

  it('refuses release when App Service authentication is not configured, whatever the headers say', async () => {
    const unguarded = await startLocalStack({
      azurite: h.azurite,
      env: h.env,
      definitions: (services) => [versionReleaseFunction(services)],
    });
    try {
      const claims = [
        { typ: 'http://schemas.microsoft.com/identity/claims/objectidentifier', val: 'oid-mallory' },
        { typ: 'roles', val: 'GalleryGuard.Operator' },
      ];
      const response = await unguarded.post(
        'versions/release',
        { versionId: versionIdOf('ubuntu-agent-stuck'), reason: 'let me', requestedBy: 'admin' },
        { headers: { 'x-ms-client-principal': Buffer.from(JSON.stringify({ claims })).toString('base64') } },
      );
      expect(response.status).toBe(403);
      expect(JSON.stringify(response.json)).toMatch(/GG_APP_SERVICE_AUTH/);
    } finally {
      await unguarded.close();
    }
  });
});
