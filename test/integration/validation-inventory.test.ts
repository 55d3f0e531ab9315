/**
 * Inventory diff end to end (issue 16, acceptance 1): the real check script in synthetic guests whose
 * packages, services and boot differ by version; the baseline is what "latest" resolves to through
 * the simulator; the diff shows in the run (API and `gg runs show`) and in the Teams card.
 */
import { DEMO } from '../../local/arm-sim';
import { startNotificationSinks, type NotificationSinks } from '../../local/sinks/notification-sinks';
import { createArmClients } from '../../shared/azure/arm-clients';
import { localCredential } from '../../local/azure/local-token-credential';
import type { RunDetail } from '../../shared/operator/run-detail';
import { readProgress } from '../../shared/validation/run/validation-state';
import { eventually } from '../support/eventually';
import { gg } from '../support/run-cli';
import { adaptiveCardProblems } from '../unit/notify/adaptive-card-validation';
import { startValidationHarness, versionIdOf, type ValidationHarness } from './validation-harness';

jest.setTimeout(240_000);

let h: ValidationHarness;
let sinks: NotificationSinks;
let cli: Record<string, string>;
const IMAGE = 'ubuntu-healthy';

beforeAll(async () => {
  sinks = await startNotificationSinks();
  h = await startValidationHarness({
    env: {
      GG_TEAMS_DEFAULT_WEBHOOK_URL: sinks.teamsUrl('default'),
      GG_NOTIFY_RETRY_BASE_MS: '1',
      GG_DIFF_BOOT_REGRESSION_PERCENT: '50',
      GG_DIFF_MUST_HAVE_PACKAGES: 'openssh-server',
    },
  });
  cli = { GG_URL: h.stack.url, GG_KEY: h.stack.functionKey };
});

afterAll(async () => {
  await h?.close();
  await sinks?.close();
});

/** A new version of the image in both demo regions, its guests changed by `inventory`. */
async function publishVariant(version: string, inventory: Record<string, unknown>): Promise<void> {
  const { compute, pollOptions } = createArmClients(
    { arm: { endpoint: h.sim.endpoint, caCertPath: h.sim.caCertPath, pollIntervalMs: 5 } },
    DEMO.subscriptionId,
    localCredential,
  );
  await compute.galleryImageVersions.beginCreateOrUpdateAndWait(
    DEMO.resourceGroup,
    DEMO.gallery,
    IMAGE,
    version,
    {
      location: 'eastus',
      publishingProfile: { targetRegions: DEMO.regions.map((name) => ({ name })) },
      storageProfile: { source: { id: versionIdOf(IMAGE) } },
    },
    pollOptions,
  );
  h.sim.setGuestProfile(versionIdOf(IMAGE, version), { inventory });
  await h.publish(IMAGE, version);
}

const stateOf = (row: Record<string, unknown>) => readProgress(row as Record<string, string>).state;
const cardTexts = async (version: string): Promise<string[]> => {
  const card = await eventually(
    () =>
      Promise.resolve(
        sinks
          .accepted('teams')
          .find((p) => JSON.stringify(p.body).includes(`/images/${IMAGE}/versions/${version}/`)),
      ),
    { timeoutMs: 30_000, intervalMs: 100, what: `the card for ${version}` },
  );
  const content = (card.body as { attachments: { content: Record<string, unknown> }[] }).attachments[0]!
    .content;
  expect(adaptiveCardProblems(content)).toEqual([]);
  return (content.body as { text?: string }[]).flatMap((b) => (b.text === undefined ? [] : [b.text]));
};

describe('inventory diff against what latest resolves to', () => {
  it('with no baseline the diff says so and nothing fails', async () => {
    await h.publish(IMAGE);
    const row = await h.finalRun(IMAGE, 170_000);
    expect(row.state).toBe('Passed');
    const state = stateOf(row);
    expect(state.changes?.regions.map((r) => [r.region, r.noBaseline])).toEqual([
      ['eastus', 'no other version resolves as latest in eastus'],
      ['westeurope', 'no other version resolves as latest in westeurope'],
    ]);
    const diffChecks = state.checks.filter((c) => c.name.startsWith('diff:'));
    expect(diffChecks.map((c) => c.status)).toEqual(['Skipped', 'Skipped']);
    expect(await cardTexts(DEMO.version)).toEqual(
      expect.arrayContaining([
        'What changed',
        'eastus: no baseline (no other version resolves as latest in eastus)',
      ]),
    );
  });

  it('a version that adds a package and drops a service shows that diff in the run details and the card', async () => {
    await publishVariant('1.1.0', {
      addPackages: { nginx: '1.18.0-6ubuntu14.4' },
      disableServices: ['cron'],
    });
    const row = await h.finalRun(IMAGE, 170_000, '1.1.0');
    expect(row.state).toBe('Passed');

    const json = await gg(['runs', 'show', `${IMAGE}/1.1.0`, '-o', 'json'], cli);
    expect(json.code).toBe(0);
    const detail = json.json<RunDetail>();
    expect(detail.diffs).toHaveLength(2);
    for (const diff of detail.diffs) {
      expect(diff).toMatchObject({
        kind: 'diff',
        baselineVersion: '1.0.0',
        packages: {
          known: true,
          added: [{ name: 'nginx', version: '1.18.0-6ubuntu14.4' }],
          removed: [],
          changed: [],
        },
        services: { enabled: [], disabled: ['cron'] },
        ports: { opened: [], closed: [] },
        boot: { before: 12.4, after: 12.4, deltaPercent: 0 },
      });
    }
    expect(detail.checks.filter((c) => c.name === 'diff:boot-time').map((c) => c.status)).toEqual([
      'Passed',
      'Passed',
    ]);

    const table = await gg(['runs', 'show', `${IMAGE}/1.1.0`], cli, { isTty: true });
    expect(table.stdout).toMatch(
      /What changed\n\s+eastus against 1\.0\.0 \(what latest resolves to there\):\n\s+packages\s+\+1 -0 ~0\n\s+added\s+nginx 1\.18\.0-6ubuntu14\.4\n\s+disabled\s+cron\n/,
    );
    process.stdout.write(`gg runs show sample:\n${table.stdout}\n`);

    const texts = await cardTexts('1.1.0');
    expect(texts).toContain('What changed');
    expect(texts).toContain(
      'eastus vs 1.0.0: packages +1 -0 ~0 (+nginx 1.18.0-6ubuntu14.4); services -cron; boot 12.4 s → 12.4 s (+0%)',
    );
  });

  it('a boot-time regression beyond the threshold fails the version with the baseline’s figure as evidence', async () => {
    await publishVariant('1.2.0', { bootSeconds: 30 });
    const row = await h.finalRun(IMAGE, 170_000, '1.2.0');
    expect(row.state).toBe('Failed');
    const state = stateOf(row);
    expect(state.verdictReason).toBe('failed checks: diff:boot-time');
    const boot = state.checks.filter((c) => c.name === 'diff:boot-time');
    expect(boot.map((c) => [c.region, c.status])).toEqual([
      ['eastus', 'Failed'],
      ['westeurope', 'Failed'],
    ]);
    expect(boot[0]?.reason).toBe(
      'boot time regressed 141.9% (+17.6 s) against baseline 1.1.0 (latest in eastus), over the 50% limit',
    );
    expect(boot[0]?.evidence).toBe(
      'baseline 1.1.0 (latest in eastus): 12.4 s; this version: 30 s (cloud-init)',
    );
    expect((await cardTexts('1.2.0')).join('\n')).toContain('boot 12.4 s → 30 s (+141.9%)');
  });
});
