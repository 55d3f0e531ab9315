import { runVerdictActions } from '../../shared/remediation/run-verdict-actions';
import { listReleaseRows } from '../../shared/remediation/remediation-ledger';
import { releaseVersion } from '../../shared/remediation/release-version';
import { recordFirstContact } from '../../shared/remediation/version-context';
import type { VerdictReport } from '../../shared/verdict/verdict';
import { adaptiveCardProblems } from '../unit/notify/adaptive-card-validation';
import {
  report,
  ROUTING_KEY,
  startVerdictActionsHarness,
  type VerdictActionsHarness,
} from './verdict-actions-harness';

let h: VerdictActionsHarness;

beforeAll(async () => {
  h = await startVerdictActionsHarness();
});

afterAll(async () => {
  await h?.close();
});

const excluded = {
  excludeFromLatest: true,
  regions: [{ excludeFromLatest: true }, { excludeFromLatest: true }],
};
const included = {
  excludeFromLatest: false,
  regions: [{ excludeFromLatest: false }, { excludeFromLatest: false }],
};

describe('quarantine mode (default)', () => {
  it('excludes a failed version everywhere, sets end of life, sends one card and one page despite duplicates', async () => {
    const failed = {
      ...report('ubuntu-kernel-panic', 'Failed', 'run-kp-1'),
      checks: [
        { name: 'guest-agent', status: 'Failed', reason: 'the VM never reported its guest agent Ready' },
        { name: 'boot-log', status: 'Failed', reason: 'the kernel panicked during boot' },
      ],
    } satisfies VerdictReport;
    // A duplicated event and a retried step: the same verdict acted on concurrently and again afterwards.
    const outcomes = await Promise.allSettled([
      runVerdictActions(h.deps, failed, h.logger),
      runVerdictActions(h.deps, failed, h.logger),
    ]);
    await runVerdictActions(h.deps, failed, h.logger).catch(() =>
      runVerdictActions(h.deps, failed, h.logger),
    );
    const again = await runVerdictActions(h.deps, failed, h.logger);

    expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
    expect(again.status).toBe('acted');
    expect(again.actions.map((a) => a.action)).toEqual(['exclude-from-latest', 'end-of-life']);
    const state = await h.readVersion('ubuntu-kernel-panic');
    expect(state).toMatchObject(excluded);
    expect(Date.parse(state.endOfLifeDate ?? '')).toBeLessThanOrEqual(Date.now());
    // before/after recorded from the live version
    expect(again.actions[0]?.before).toMatchObject(included);
    expect(again.actions[0]?.after).toMatchObject({ excludeFromLatest: true });

    expect(h.cardsFor('ubuntu-kernel-panic')).toHaveLength(1);
    const pages = h.pagesFor('ubuntu-kernel-panic');
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ event_action: 'trigger', payload: { severity: 'error' } });
    expect(pages[0]?.dedup_key).toBe(failed.versionId.toLowerCase());
    // the page names the version and leads with the cause (boot log), not the symptom (agent never Ready)
    const summary = (pages[0] as { payload?: { summary?: string } } | undefined)?.payload?.summary;
    expect(summary).toMatch(/version 1\.0\.0 failed validation .*: boot-log: the kernel panicked/);
    // the owner has no teamsWebhook tag: the default channel got the card
    const card = h.sinks
      .accepted('teams')
      .find((p) => JSON.stringify(p.body).includes('ubuntu-kernel-panic'));
    expect(card?.path).toBe('/teams/operators');
    const content = (card?.body as { attachments: { content: unknown }[] }).attachments[0]?.content;
    expect(adaptiveCardProblems(content)).toEqual([]);
    expect(JSON.stringify(content)).toContain('Excluded from latest');
  });

  it('keeps the quarantine when a later run passes, but resolves the page', async () => {
    const passed = await runVerdictActions(
      h.deps,
      report('ubuntu-kernel-panic', 'Passed', 'run-kp-2'),
      h.logger,
    );
    expect(passed.actionTaken).toMatch(/^Still quarantined/);
    expect(await h.readVersion('ubuntu-kernel-panic')).toMatchObject(excluded);
    expect(h.pagesFor('ubuntu-kernel-panic').map((p) => p.event_action)).toEqual(['trigger', 'resolve']);
    expect(h.cardsFor('ubuntu-kernel-panic')).toHaveLength(2);
  });

  it('releases a quarantined version on request and records who and why', async () => {
    const sentBefore = { ...h.limiter.sent };
    const answeredBefore = h.armRequests.length;
    const outcome = await releaseVersion(
      h.deps,
      {
        versionId: report('ubuntu-kernel-panic', 'Failed', 'x').versionId,
        reason: 'false positive',
        requestedBy: 'alice@example.com',
        requestId: 'req-1',
      },
      h.logger,
    );
    expect(outcome.status).toBe('released');
    expect(outcome.notifications).toEqual([]); // the page was resolved by the passing run already
    // Every ARM request of the release went through the service's one limiter, its PATCH included.
    const answered = h.armRequests.slice(answeredBefore);
    const sent = (b: keyof typeof sentBefore) => h.limiter.sent[b] - sentBefore[b];
    expect(answered.filter((r) => r.method === 'PATCH').length).toBeGreaterThanOrEqual(1);
    expect(sent('write')).toBe(answered.filter((r) => r.method === 'PATCH' || r.method === 'PUT').length);
    expect(sent('read') + sent('write') + sent('delete')).toBe(answered.length);
    const state = await h.readVersion('ubuntu-kernel-panic');
    expect(state).toMatchObject(included);
    expect(state.endOfLifeDate).toBeUndefined();
    const pages = h.pagesFor('ubuntu-kernel-panic');
    expect(pages.map((p) => p.event_action)).toEqual(['trigger', 'resolve']);
    const rows = await listReleaseRows(
      h.deps.remediationTable,
      report('ubuntu-kernel-panic', 'Failed', 'x').versionId.toLowerCase(),
    );
    expect(rows).toEqual([
      expect.objectContaining({
        kind: 'release',
        requestedBy: 'alice@example.com',
        reason: 'false positive',
      }),
    ]);
    // Routing keys and webhook URLs never reach a table row or a log line.
    expect(JSON.stringify(rows)).not.toContain(ROUTING_KEY);
    expect(h.logs.join('\n')).not.toContain(ROUTING_KEY);
    expect(h.logs.join('\n')).not.toContain(h.sinks.url);
  });
});

describe('report-only mode', () => {
  it('changes nothing in Azure for a failed version, sends the card to the owner channel, pages nobody', async () => {
    await h.tagDefinition('ubuntu-cloned', { 'gallery-guard-mode': 'report-only', teamsWebhook: 'linux' });
    const outcome = await runVerdictActions(h.deps, report('ubuntu-cloned', 'Failed', 'run-cl-1'), h.logger);
    await runVerdictActions(h.deps, report('ubuntu-cloned', 'Failed', 'run-cl-1'), h.logger);
    expect(outcome).toMatchObject({ status: 'acted', mode: 'report-only', actions: [] });
    expect(await h.readVersion('ubuntu-cloned')).toMatchObject({ ...included, endOfLifeDate: undefined });
    expect(h.cardsFor('ubuntu-cloned')).toHaveLength(1);
    expect(h.sinks.accepted('teams').filter((p) => p.path === '/teams/linux')).toHaveLength(1);
    expect(h.pagesFor('ubuntu-cloned')).toHaveLength(0);
  });
});

describe('gate mode', () => {
  it('promotes a version published excluded once it passes', async () => {
    await h.tagDefinition('windows-healthy', { 'gallery-guard-mode': 'gate' });
    await h.setExcluded('windows-healthy', true, {}); // the pipeline publishes it held back
    expect(
      await recordFirstContact(h.deps, report('windows-healthy', 'Passed', 'x').versionId, h.logger),
    ).toBe('ok');
    const outcome = await runVerdictActions(
      h.deps,
      report('windows-healthy', 'Passed', 'run-wh-1'),
      h.logger,
    );
    await runVerdictActions(h.deps, report('windows-healthy', 'Passed', 'run-wh-1'), h.logger);
    expect(outcome.actions).toEqual([expect.objectContaining({ action: 'promote', outcome: 'applied' })]);
    expect(await h.readVersion('windows-healthy')).toMatchObject(included);
    expect(h.cardsFor('windows-healthy')).toHaveLength(1);
    expect(h.pagesFor('windows-healthy')).toHaveLength(0);
  });

  it('keeps a failed version excluded, gives it an end of life and pages once', async () => {
    await h.tagDefinition('ubuntu-agent-stuck', { 'gallery-guard-mode': 'gate' });
    await h.setExcluded('ubuntu-agent-stuck', true, {});
    await recordFirstContact(h.deps, report('ubuntu-agent-stuck', 'Failed', 'x').versionId, h.logger);
    await runVerdictActions(h.deps, report('ubuntu-agent-stuck', 'Failed', 'run-as-1'), h.logger);
    await runVerdictActions(h.deps, report('ubuntu-agent-stuck', 'Failed', 'run-as-1'), h.logger);
    const state = await h.readVersion('ubuntu-agent-stuck');
    expect(state).toMatchObject(excluded);
    expect(state.endOfLifeDate).toBeDefined();
    expect(h.cardsFor('ubuntu-agent-stuck')).toHaveLength(1);
    expect(h.pagesFor('ubuntu-agent-stuck')).toHaveLength(1);
  });

  it('never re-includes a version a person excluded after it was published', async () => {
    await h.tagDefinition('windows-specialized', { 'gallery-guard-mode': 'gate' });
    await recordFirstContact(h.deps, report('windows-specialized', 'Passed', 'x').versionId, h.logger); // published included
    await h.setExcluded('windows-specialized', true, { westeurope: true }); // a person pulls it
    const outcome = await runVerdictActions(
      h.deps,
      report('windows-specialized', 'Passed', 'run-ws-1'),
      h.logger,
    );
    expect(outcome.actions).toEqual([expect.objectContaining({ action: 'promote', outcome: 'skipped' })]);
    expect(await h.readVersion('windows-specialized')).toMatchObject({
      excludeFromLatest: true,
      regions: [{ excludeFromLatest: false }, { excludeFromLatest: true }],
    });
    expect(h.cardsFor('windows-specialized')).toHaveLength(1);
  });
});

describe('inconclusive verdicts', () => {
  it('never change Azure and alert the operators channel, without a page', async () => {
    await h.tagDefinition('ubuntu-healthy', { teamsWebhook: 'linux' });
    const outcome = await runVerdictActions(
      h.deps,
      report('ubuntu-healthy', 'Inconclusive', 'run-uh-1'),
      h.logger,
    );
    expect(outcome).toMatchObject({ status: 'acted', actions: [] });
    expect(await h.readVersion('ubuntu-healthy')).toMatchObject(included);
    const cards = h.sinks.accepted('teams').filter((p) => JSON.stringify(p.body).includes('ubuntu-healthy'));
    expect(cards.map((c) => c.path)).toEqual(['/teams/operators']);
    expect(h.pagesFor('ubuntu-healthy')).toHaveLength(0);
  });
});
