/**
 * The governance audit end to end: each situation of issue 17 is seeded in the ARM simulator (through
 * the real SDK clients) and the run ledger, POST /api/audit finds it with its evidence, the situation
 * is fixed the way an operator would, and the next audit marks the finding resolved.
 */
import { adaptiveCardProblems } from '../../unit/notify/adaptive-card-validation';
import type { RecordedFinding } from '../../../shared/audit/finding-ledger';
import type { AuditSummary } from '../../../shared/audit/run-audit';
import {
  GALLERY,
  GALLERY_ID,
  POLL,
  RG,
  definitionIdOf,
  findingsOf,
  startAuditHarness,
  versionIdOf,
  type AuditHarness,
} from './audit-harness';

jest.setTimeout(60_000);

let h: AuditHarness;
let first: AuditSummary;
let found: RecordedFinding[];
const runs: Record<string, string> = {};
const one = (rule: string, resourceId: string): RecordedFinding => {
  const matches = findingsOf(found, rule, resourceId);
  expect(matches).toHaveLength(1);
  return matches[0]!;
};

beforeAll(async () => {
  h = await startAuditHarness();
  const { compute } = h;
  // ubuntu-healthy: 1.1.0 is excluded from latest in eastus only, so latest is 1.0.0 there and
  // 1.1.0 in westeurope; 1.0.0 passed (fresh), 1.1.0 was never validated.
  await compute.galleryImageVersions.beginCreateOrUpdateAndWait(
    RG,
    GALLERY,
    'ubuntu-healthy',
    '1.1.0',
    {
      location: 'eastus',
      publishingProfile: {
        targetRegions: [{ name: 'eastus', excludeFromLatest: true }, { name: 'westeurope' }],
      },
      storageProfile: {
        source: {
          virtualMachineId:
            '/subscriptions/x/resourceGroups/b/providers/Microsoft.Compute/virtualMachines/builder',
        },
      },
    },
    POLL,
  );
  runs.healthy = await h.seedRun('ubuntu-healthy', 1, 'Passed', {
    decidedAt: h.now().toISOString(),
    verdict: 'Passed',
  });
  // ubuntu-cloned: two runs failed the identity check (generalized, not deprovisioned).
  const identityFailed = {
    verdict: 'Failed' as const,
    decidedAt: h.now().toISOString(),
    checks: [{ name: 'identity-unique', status: 'Failed' as const, reason: 'two VMs share SSH host keys' }],
  };
  runs.cloned1 = await h.seedRun('ubuntu-cloned', 1, 'Failed', identityFailed);
  runs.cloned2 = await h.seedRun('ubuntu-cloned', 2, 'Failed', identityFailed);
  // ubuntu-kernel-panic 1.0.0: past its end of life, still eligible for latest.
  await compute.galleryImageVersions.beginUpdateAndWait(
    RG,
    GALLERY,
    'ubuntu-kernel-panic',
    '1.0.0',
    { publishingProfile: { endOfLifeDate: new Date('2024-01-01T00:00:00Z') } },
    POLL,
  );
  // windows-healthy 1.0.0: quarantined (excluded everywhere) without an end of life.
  await compute.galleryImageVersions.beginUpdateAndWait(
    RG,
    GALLERY,
    'windows-healthy',
    '1.0.0',
    {
      publishingProfile: {
        excludeFromLatest: true,
        targetRegions: [
          { name: 'eastus', excludeFromLatest: true },
          { name: 'westeurope', excludeFromLatest: true },
        ],
      },
    },
    POLL,
  );
  // ubuntu-agent-stuck: the definition's end of life passed just after 1.0.0 was published (ARM
  // refuses a past date on write, so the date is seeded as if time had passed) and 1.1.0 is published
  // after it; its 1.0.0 run is stuck.
  const published = await compute.galleryImageVersions.get(RG, GALLERY, 'ubuntu-agent-stuck', '1.0.0');
  h.sim.sim.store.get(definitionIdOf('ubuntu-agent-stuck'))!.properties.endOfLifeDate = new Date(
    published.publishingProfile!.publishedDate!.getTime() + 1,
  ).toISOString();
  await compute.galleryImageVersions.beginCreateOrUpdateAndWait(
    RG,
    GALLERY,
    'ubuntu-agent-stuck',
    '1.1.0',
    { location: 'eastus', publishingProfile: { targetRegions: [{ name: 'eastus' }] }, storageProfile: {} },
    POLL,
  );
  runs.stuck = await h.seedRun('ubuntu-agent-stuck', 1, 'Running');
  // windows-specialized: in a gallery shared directly with another subscription; its run is Inconclusive.
  await compute.galleries.beginCreateOrUpdateAndWait(
    RG,
    GALLERY,
    {
      location: 'eastus',
      description: 'gallery-guard demo gallery',
      sharingProfile: { permissions: 'Groups' },
    },
    POLL,
  );
  await compute.gallerySharingProfile.beginUpdateAndWait(
    RG,
    GALLERY,
    {
      operationType: 'Add',
      groups: [{ type: 'Subscriptions', ids: ['11111111-1111-1111-1111-111111111111'] }],
    },
    POLL,
  );
  runs.inconclusive = await h.seedRun('windows-specialized', 1, 'Inconclusive', {
    verdict: 'Inconclusive',
    verdictReason: 'SkuNotAvailable in eastus',
    decidedAt: h.now().toISOString(),
  });
  // A definition nobody owns.
  await compute.galleryImages.beginCreateOrUpdateAndWait(
    RG,
    GALLERY,
    'orphan-image',
    {
      location: 'eastus',
      osType: 'Linux',
      osState: 'Generalized',
      identifier: { publisher: 'contoso', offer: 'ubuntu', sku: 'orphan' },
    },
    POLL,
  );
  h.advance(25); // past GG_AUDIT_STUCK_HOURS (24) for the stuck and the Inconclusive run
  first = await h.audit();
  found = await h.findings('Open');
});

afterAll(async () => {
  await h?.close();
});

describe('the first audit', () => {
  it('reads the gallery and records findings', () => {
    expect(first.galleries).toEqual([
      expect.objectContaining({ galleryId: GALLERY_ID, status: 'audited', definitions: 7, versions: 8 }),
    ]);
    expect(first.galleries[0]!.opened).toBe(found.length);
  });

  it('resolves latest per region as Azure does (regional excludeFromLatest wins)', () => {
    expect(findingsOf(found, 'latest-not-passed', versionIdOf('ubuntu-healthy'))).toEqual([]);
    const newer = one('latest-not-passed', versionIdOf('ubuntu-healthy', '1.1.0'));
    expect(newer.severity).toBe('high');
    expect(newer.evidence).toMatchObject({ latestIn: ['westeurope'], lastRunState: 'none' });
    expect(newer.fix).toContain('az sig image-version update');
    const failed = one('latest-not-passed', versionIdOf('ubuntu-cloned'));
    expect(failed.evidence).toMatchObject({ lastRunState: 'Failed', lastRunId: runs.cloned2, attempts: 2 });
  });

  it('finds versions past end of life that are still eligible for latest', () => {
    const f = one('eol-not-excluded', versionIdOf('ubuntu-kernel-panic'));
    expect(f.severity).toBe('high');
    expect(f.evidence).toMatchObject({
      endOfLifeDate: '2024-01-01T00:00:00.000Z',
      eligibleIn: ['eastus', 'westeurope'],
    });
    expect(f.fix).toContain('--set publishingProfile.excludeFromLatest=true');
  });

  it('finds quarantined versions without an end of life', () => {
    const f = one('quarantined-without-eol', versionIdOf('windows-healthy'));
    expect(f.evidence).toMatchObject({ excludedIn: ['eastus', 'westeurope'] });
    expect(f.fix).toContain('publishingProfile.endOfLifeDate=');
  });

  it('finds a definition past its end of life still receiving versions', () => {
    const f = one('definition-eol-receiving-versions', definitionIdOf('ubuntu-agent-stuck'));
    expect(f.evidence).toMatchObject({ versionsPublishedAfter: ['1.1.0'], count: 1 });
    expect(f.fix).toContain('az sig image-definition update');
  });

  it('finds a specialized image shared beyond the subscription', () => {
    const f = one('specialized-shared', definitionIdOf('windows-specialized'));
    expect(f.severity).toBe('high');
    expect(f.evidence).toMatchObject({ sharingPermissions: 'Groups', sharedWith: ['Subscriptions:1'] });
    expect(f.fix).toContain(`az sig share reset --resource-group ${RG} --gallery-name ${GALLERY}`);
  });

  it('finds a generalized definition failing identity checks repeatedly', () => {
    const f = one('identity-failures-repeated', definitionIdOf('ubuntu-cloned'));
    expect(f.evidence).toMatchObject({ count: 2, failedRuns: [runs.cloned1, runs.cloned2] });
  });

  it('finds galleries and definitions without an owner or a Teams route', () => {
    expect(one('no-owner', GALLERY_ID).severity).toBe('low');
    expect(one('no-owner', definitionIdOf('orphan-image')).fix).toContain('az tag update');
    const route = one('no-teams-route', definitionIdOf('ubuntu-healthy'));
    expect(route.evidence).toMatchObject({ teamsWebhook: '', defaultChannel: true });
  });

  it('finds latest versions with a single replica per region', () => {
    const f = one('low-replica-count', versionIdOf('windows-specialized'));
    expect(f.evidence).toMatchObject({ replicas: ['eastus=1', 'westeurope=1'], minimum: 3 });
    expect(f.fix).toContain('--target-regions eastus=3 westeurope=3');
  });

  it('finds runs stuck or Inconclusive past the threshold', () => {
    const stuck = one('run-stuck', versionIdOf('ubuntu-agent-stuck'));
    expect(stuck.evidence).toMatchObject({ runId: runs.stuck, state: 'Running' });
    const inconclusive = one('run-inconclusive', versionIdOf('windows-specialized'));
    expect(inconclusive.evidence).toMatchObject({
      runId: runs.inconclusive,
      reason: 'SkuNotAvailable in eastus',
    });
  });

  it('records first and last seen on every finding', () => {
    for (const f of found) {
      expect(f).toMatchObject({
        state: 'Open',
        timesSeen: 1,
        firstSeenAt: h.now().toISOString(),
        lastSeenAt: h.now().toISOString(),
      });
    }
  });
});

describe('the weekly digest', () => {
  it('sends one valid Adaptive Card per owner listing their findings', async () => {
    await h.stack.runner.triggerTimer('governance-audit-digest');
    const cards = h.sinks
      .accepted('teams')
      .map((p) => (p.body as { attachments: { content: unknown }[] }).attachments[0]!.content);
    const owners = new Set(found.map((f) => f.owner ?? '(no owner)'));
    expect(cards).toHaveLength(owners.size);
    for (const card of cards) expect(adaptiveCardProblems(card)).toEqual([]);
    const text = JSON.stringify(cards);
    expect(text).toContain('team-linux@example.com');
    expect(text).toContain('team-windows@example.com');
    expect(text).toContain('No owner tag');
    // A second run in the same week sends nothing new.
    await h.stack.runner.triggerTimer('governance-audit-digest');
    expect(h.sinks.accepted('teams')).toHaveLength(owners.size);
  });
});

describe('the next audit after fixes', () => {
  let after: RecordedFinding[];
  beforeAll(async () => {
    const { compute } = h;
    await h.seedRun(
      'ubuntu-healthy',
      1,
      'Passed',
      { decidedAt: h.now().toISOString(), verdict: 'Passed' },
      '1.1.0',
    );
    await compute.galleryImageVersions.beginUpdateAndWait(
      RG,
      GALLERY,
      'ubuntu-kernel-panic',
      '1.0.0',
      {
        publishingProfile: {
          excludeFromLatest: true,
          targetRegions: [
            { name: 'eastus', excludeFromLatest: true },
            { name: 'westeurope', excludeFromLatest: true },
          ],
        },
      },
      POLL,
    );
    await compute.galleryImageVersions.beginUpdateAndWait(
      RG,
      GALLERY,
      'windows-healthy',
      '1.0.0',
      { publishingProfile: { endOfLifeDate: new Date(h.now().getTime() + 30 * 86_400_000) } },
      POLL,
    );
    await compute.galleryImages.beginUpdateAndWait(
      RG,
      GALLERY,
      'ubuntu-agent-stuck',
      { endOfLifeDate: new Date(Date.now() + 365 * 86_400_000) },
      POLL,
    );
    await compute.gallerySharingProfile.beginUpdateAndWait(RG, GALLERY, { operationType: 'Reset' }, POLL);
    await compute.galleryImageVersions.beginDeleteAndWait(RG, GALLERY, 'ubuntu-cloned', '1.0.0', POLL);
    await compute.galleryImages.beginUpdateAndWait(
      RG,
      GALLERY,
      'orphan-image',
      { tags: { owner: 'team-orphans@example.com', teamsWebhook: 'linux' } },
      POLL,
    );
    await compute.galleryImageVersions.beginUpdateAndWait(
      RG,
      GALLERY,
      'windows-specialized',
      '1.0.0',
      {
        publishingProfile: {
          targetRegions: [
            { name: 'eastus', regionalReplicaCount: 3 },
            { name: 'westeurope', regionalReplicaCount: 3 },
          ],
        },
      },
      POLL,
    );
    const stuck = (
      await h.stack.services.ledger.listAttempts(
        (await import('../../../shared/arm/resource-id')).parseImageVersionId(
          versionIdOf('ubuntu-agent-stuck'),
        ),
      )
    )[0]!;
    await h.stack.services.ledger.updateRun(stuck, { state: 'Passed' });
    await h.seedRun('windows-specialized', 2, 'Passed', {
      decidedAt: h.now().toISOString(),
      verdict: 'Passed',
    });
    h.advance(24);
    await h.audit();
    after = await h.findings('all');
  });

  const resolved = (rule: string, resourceId: string): RecordedFinding => {
    const matches = findingsOf(after, rule, resourceId);
    expect(matches).toHaveLength(1);
    return matches[0]!;
  };

  it.each([
    ['latest-not-passed', () => versionIdOf('ubuntu-healthy', '1.1.0')],
    ['latest-not-passed', () => versionIdOf('ubuntu-cloned')],
    ['eol-not-excluded', () => versionIdOf('ubuntu-kernel-panic')],
    ['quarantined-without-eol', () => versionIdOf('windows-healthy')],
    ['definition-eol-receiving-versions', () => definitionIdOf('ubuntu-agent-stuck')],
    ['specialized-shared', () => definitionIdOf('windows-specialized')],
    ['identity-failures-repeated', () => definitionIdOf('ubuntu-cloned')],
    ['no-owner', () => definitionIdOf('orphan-image')],
    ['no-teams-route', () => definitionIdOf('orphan-image')],
    ['low-replica-count', () => versionIdOf('windows-specialized')],
    ['run-stuck', () => versionIdOf('ubuntu-agent-stuck')],
    ['run-inconclusive', () => versionIdOf('windows-specialized')],
  ])('marks %s resolved once fixed', (rule, id) => {
    const f = resolved(rule, id());
    expect(f).toMatchObject({ state: 'Resolved', resolvedAt: h.now().toISOString(), timesSeen: 1 });
    expect(f.firstSeenAt < f.resolvedAt).toBe(true);
  });

  it('keeps findings that were not fixed open, with last seen moved on', () => {
    const f = resolved('no-owner', GALLERY_ID);
    expect(f).toMatchObject({ state: 'Open', timesSeen: 2, lastSeenAt: h.now().toISOString() });
    expect(f.firstSeenAt < f.lastSeenAt).toBe(true);
  });
});
