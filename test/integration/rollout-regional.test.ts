/**
 * Gate mode's regional rollout (issue 16, acceptance 2) against the ARM simulator and Azurite through
 * the real SDKs: a version published excluded from latest everywhere, validated in three regions, is
 * promoted one region at a time (canary first, soak between regions, each read back through the
 * SDK); a failure in the second region stops the rollout there, the first region is rolled back or
 * kept per GG_ROLLOUT_ON_FAILURE, the third is never promoted, and one card summarises the rollout.
 */
import { DEMO } from '../../local/arm-sim';
import { readActionRow } from '../../shared/remediation/remediation-ledger';
import { actOnVerdictOrRollOut } from '../../shared/rollout/act-on-verdict';
import { resolveLatest } from '../../shared/gallery/latest-resolution';
import { redriveRollouts } from '../../shared/rollout/redrive-rollouts';
import { readRollout } from '../../shared/rollout/rollout-ledger';
import { parseImageVersionId } from '../../shared/arm/resource-id';
import type { CheckResult, VerdictReport } from '../../shared/verdict/verdict';
import {
  GALLERY_ID,
  startVerdictActionsHarness,
  type VerdictActionsHarness,
} from './verdict-actions-harness';

const REGIONS = ['eastus', 'westeurope', 'northeurope'];
const VERSION = '1.1.0';
const RG = DEMO.resourceGroup;
const GALLERY = DEMO.gallery;
const SOAK_MINUTES = 30;

const idOf = (image: string): string => `${GALLERY_ID}/images/${image}/versions/${VERSION}`;

/** A clock the test moves: soak waits end when the test says so, never by sleeping. */
function testClock(): { now: () => Date; advanceMinutes: (n: number) => void } {
  let at = Date.now();
  return { now: () => new Date(at), advanceMinutes: (n) => (at += n * 60_000) };
}

/** Publishes image/1.1.0 to three regions, excluded from latest everywhere (the gate holds it). */
async function publishGated(h: VerdictActionsHarness, image: string): Promise<void> {
  await h.tagDefinition(image, { 'gallery-guard-mode': 'gate' });
  await h.publishVersion(image, VERSION, { regions: REGIONS, excludeFromLatest: true });
}

function verdict(image: string, runId: string, failIn?: string): VerdictReport {
  const checks: CheckResult[] = REGIONS.map((region) =>
    region === failIn
      ? {
          name: 'provisioning',
          status: 'Failed',
          reason: 'VM never reached agent Ready',
          region,
          evidence: 'Kernel panic - not syncing',
        }
      : { name: 'provisioning', status: 'Passed', reason: 'agent Ready', region },
  );
  return {
    runId,
    versionId: idOf(image),
    verdict: failIn === undefined ? 'Passed' : 'Failed',
    checks,
    regions: REGIONS,
    bootSeconds: {},
    decidedAt: new Date().toISOString(),
  };
}

/** Region → the regional excludeFromLatest as ARM returns it now (read through the SDK). */
async function regionalFlags(
  h: VerdictActionsHarness,
  image: string,
): Promise<Record<string, boolean | undefined>> {
  const v = await h.compute.galleryImageVersions.get(RG, GALLERY, image, VERSION);
  return Object.fromEntries(
    (v.publishingProfile?.targetRegions ?? []).map((r) => [
      r.name.replace(/\s+/g, '').toLowerCase(),
      r.excludeFromLatest,
    ]),
  );
}

/** Which regions "latest" resolves to this version in, the way Azure resolves it. */
async function latestIsNew(h: VerdictActionsHarness, image: string): Promise<string[]> {
  const { latest } = await resolveLatest(h.compute, parseImageVersionId(idOf(image)), REGIONS);
  return REGIONS.filter((r) => latest[r] === VERSION);
}

const rolloutCards = (h: VerdictActionsHarness, image: string): string[] =>
  h
    .cardsFor(image)
    .map((c) => JSON.stringify(c))
    .filter((c) => c.includes(`${image} ${VERSION}`));

describe('regional rollout (gate mode, roll-back on failure)', () => {
  const clock = testClock();
  let h: VerdictActionsHarness;

  beforeAll(async () => {
    h = await startVerdictActionsHarness(
      {
        GG_ROLLOUT: 'regional',
        GG_ROLLOUT_ORDER: 'westeurope,eastus',
        GG_ROLLOUT_SOAK_MINUTES: String(SOAK_MINUTES),
        GG_ROLLOUT_ON_FAILURE: 'roll-back',
      },
      { clock: clock.now },
    );
  }, 60_000);
  afterAll(async () => h?.close());

  it('promotes the three regions one by one: canary first, each after the soak, then completes', async () => {
    const image = 'ubuntu-healthy';
    await publishGated(h, image);
    expect(await latestIsNew(h, image)).toEqual([]);

    await actOnVerdictOrRollOut(h.deps, verdict(image, 'run-pass'), h.logger);
    expect(await regionalFlags(h, image)).toEqual({ eastus: true, westeurope: false, northeurope: true });
    expect(await latestIsNew(h, image)).toEqual(['westeurope']);

    // Soak not over: the timer changes nothing.
    clock.advanceMinutes(SOAK_MINUTES - 1);
    expect((await redriveRollouts(h.deps, h.logger)).due).toBe(0);
    expect(await latestIsNew(h, image)).toEqual(['westeurope']);

    clock.advanceMinutes(1);
    expect((await redriveRollouts(h.deps, h.logger)).advanced).toBe(1);
    expect(await regionalFlags(h, image)).toEqual({ eastus: false, westeurope: false, northeurope: true });
    expect(rolloutCards(h, image)).toHaveLength(0);

    clock.advanceMinutes(SOAK_MINUTES);
    await redriveRollouts(h.deps, h.logger);
    expect(await regionalFlags(h, image)).toEqual({ eastus: false, westeurope: false, northeurope: false });
    expect(await latestIsNew(h, image)).toEqual(REGIONS);
    // Completed: the version-wide flag it was published with is lifted too.
    const v = await h.compute.galleryImageVersions.get(RG, GALLERY, image, VERSION);
    expect(v.publishingProfile?.excludeFromLatest).toBe(false);

    const rollout = await readRollout(h.deps.remediationTable, idOf(image).toLowerCase(), 'run-pass');
    expect(rollout?.status).toBe('completed');
    expect(rollout?.regions.map((r) => [r.name, r.state])).toEqual([
      ['westeurope', 'promoted'],
      ['eastus', 'promoted'],
      ['northeurope', 'promoted'],
    ]);
    // One card for the whole rollout, sent when it ended, listing each region.
    const cards = rolloutCards(h, image);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain(
      'Regional rollout completed: westeurope promoted, eastus promoted, northeurope promoted.',
    );
    // A redrive after the end (or a duplicate verdict) sends nothing more.
    clock.advanceMinutes(SOAK_MINUTES);
    await redriveRollouts(h.deps, h.logger);
    await actOnVerdictOrRollOut(h.deps, verdict(image, 'run-pass'), h.logger);
    expect(rolloutCards(h, image)).toHaveLength(1);
  });

  it('a failure in the second region rolls the first back and never promotes the third', async () => {
    const image = 'ubuntu-cloned';
    await publishGated(h, image);
    // The canary passed and is promoted; the next region's failure is known, so it stops at once
    // (no soak before a stop) and rolls the canary back: the same quarantine as any failed version.
    await actOnVerdictOrRollOut(h.deps, verdict(image, 'run-fail', 'eastus'), h.logger);
    expect(await regionalFlags(h, image)).toEqual({ eastus: true, westeurope: true, northeurope: true });
    expect(await latestIsNew(h, image)).toEqual([]);
    const key = idOf(image).toLowerCase();
    expect(
      await readActionRow(h.deps.remediationTable, key, 'run-fail', 'rollout-promote:westeurope'),
    ).toMatchObject({ status: 'Applied' });
    expect(
      await readActionRow(h.deps.remediationTable, key, 'run-fail', 'rollout-promote:northeurope'),
    ).toBeUndefined();
    const rollout = await readRollout(h.deps.remediationTable, key, 'run-fail');
    expect(rollout?.regions.map((r) => [r.name, r.state])).toEqual([
      ['westeurope', 'rolled-back'],
      ['eastus', 'failed'],
      ['northeurope', 'quarantined'],
    ]);
    const cards = rolloutCards(h, image);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain(
      'Regional rollout stopped (validation failed in eastus): westeurope rolled back, eastus failed, northeurope quarantined.',
    );
    expect(h.pagesFor(image).filter((p) => p.event_action === 'trigger')).toHaveLength(1);
  });
});

describe('regional rollout (gate mode, keep on failure)', () => {
  let h: VerdictActionsHarness;
  beforeAll(async () => {
    h = await startVerdictActionsHarness({
      GG_ROLLOUT: 'regional',
      GG_ROLLOUT_ORDER: 'westeurope,eastus',
      GG_ROLLOUT_ON_FAILURE: 'keep',
    });
  }, 60_000);
  afterAll(async () => h?.close());

  it('keeps the first region promoted, stops at the second, never promotes the third', async () => {
    const image = 'ubuntu-healthy';
    await publishGated(h, image);
    await actOnVerdictOrRollOut(h.deps, verdict(image, 'run-keep', 'eastus'), h.logger);
    expect(await regionalFlags(h, image)).toEqual({ eastus: true, westeurope: false, northeurope: true });
    expect(await latestIsNew(h, image)).toEqual(['westeurope']);
    const cards = rolloutCards(h, image);
    expect(cards).toHaveLength(1);
    expect(cards[0]).toContain(
      'Regional rollout stopped (validation failed in eastus): westeurope promoted, eastus failed, northeurope quarantined.',
    );
    // Quarantined: a later pass (a re-validation) does not promote the rest.
    await actOnVerdictOrRollOut(h.deps, verdict(image, 'run-later'), h.logger);
    expect(await regionalFlags(h, image)).toEqual({ eastus: true, westeurope: false, northeurope: true });
  });
});
