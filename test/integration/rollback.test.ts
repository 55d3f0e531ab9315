/**
 * Roll back (issue 16, acceptance 3) and `gg rollback`, against the ARM simulator and Azurite through
 * the real SDKs and the local runner: "latest" of an image resolves to the previous good version in
 * every region afterwards, checked the way a VM create from the image definition id resolves it; the
 * fallback is protected (safetyProfile) when asked; a held version is never touched; no verified
 * operator, no roll back.
 */
import { DEMO } from '../../local/arm-sim';
import { localCredential } from '../../local/azure/local-token-credential';
import { createArmClients } from '../../shared/azure/arm-clients';
import { createVm, imageId, type Harness } from './arm-sim/sim-harness';
import { gg } from '../support/run-cli';
import { startLocalStack, type LocalStack } from '../support/local-stack';
import { startVerdictActionsHarness, type VerdictActionsHarness } from './verdict-actions-harness';

const RG = DEMO.resourceGroup;
const GALLERY = DEMO.gallery;
const REGIONS = ['eastus', 'westeurope'];
const BAD = '1.1.0';

let h: VerdictActionsHarness;
let sim: Harness;
let stack: LocalStack;
let unverified: LocalStack;

/** A new version, not excluded anywhere: it becomes latest in both regions. */
const publish = (image: string, tags: Record<string, string> = {}): Promise<void> =>
  h.publishVersion(image, BAD, { regions: REGIONS, tags });

/** The version a VM created from the image definition id (no version: "latest") gets in `region`. */
async function vmLatest(image: string, region: string): Promise<string | undefined> {
  const vm = await createVm(sim, { imageReferenceId: imageId(image), region });
  return (await vm.done()).storageProfile?.imageReference?.exactVersion;
}

const env = (s: LocalStack): Record<string, string> => ({ GG_URL: s.url, GG_KEY: s.functionKey });

beforeAll(async () => {
  h = await startVerdictActionsHarness({
    GG_DEFAULT_MODE: 'quarantine',
    GG_APP_SERVICE_AUTH: 'true',
    GG_ROLLBACK_PROTECT_PREVIOUS: 'true',
  });
  const clients = createArmClients(h.config, DEMO.subscriptionId, localCredential);
  sim = { sim: h.sim, clients, poll: clients.pollOptions };
  stack = await startLocalStack({ azurite: h.azurite, env: h.env });
  unverified = await startLocalStack({ azurite: h.azurite, env: { ...h.env, GG_APP_SERVICE_AUTH: 'false' } });
}, 60_000);

afterAll(async () => {
  await stack?.close();
  await unverified?.close();
  await h?.close();
});

describe('gg rollback', () => {
  it('makes latest resolve to the previous good version in every region, as a VM create sees it', async () => {
    const image = 'ubuntu-healthy';
    await publish(image);
    for (const region of REGIONS) expect(await vmLatest(image, region)).toBe(BAD);

    const result = await gg(
      [
        'rollback',
        `${GALLERY}/${image}/${BAD}`,
        '--reason',
        'kernel regression seen by the web team',
        '-o',
        'json',
      ],
      env(stack),
    );
    expect(result.code).toBe(0);
    expect(result.json()).toMatchObject({
      action: 'rollback',
      status: 'rolled-back',
      latestBefore: { eastus: BAD, westeurope: BAD },
      latestAfter: { eastus: DEMO.version, westeurope: DEMO.version },
      protection: { [DEMO.version]: 'protected' },
      operatorReason: 'kernel regression seen by the web team',
    });
    for (const region of REGIONS) expect(await vmLatest(image, region)).toBe(DEMO.version);
    const bad = await h.compute.galleryImageVersions.get(RG, GALLERY, image, BAD);
    expect(bad.publishingProfile?.targetRegions?.map((r) => r.excludeFromLatest)).toEqual([true, true]);
    const good = await h.compute.galleryImageVersions.get(RG, GALLERY, image, DEMO.version);
    expect(good.safetyProfile?.allowDeletionOfReplicatedLocations).toBe(false);

    // Again: nothing left to do; the table says what latest resolves to per region.
    const again = await gg(['rollback', `${image}/${BAD}`, '--reason', 'again'], env(stack), { isTty: true });
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^rollback: nothing-to-roll-back/);
    expect(again.stdout).toMatch(/eastus\s+1\.0\.0\s+1\.0\.0/);
    expect(again.stdout).toContain('1.0.0: already protected');
  });

  it('never touches a version a person holds (gallery-guard-hold): refused, exit code 4', async () => {
    const image = 'ubuntu-cloned';
    await publish(image, { 'gallery-guard-hold': 'web team investigating' });
    const result = await gg(['rollback', `${image}/${BAD}`, '--reason', 'bad'], env(stack));
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('gallery-guard-hold');
    const held = await h.compute.galleryImageVersions.get(RG, GALLERY, image, BAD);
    expect(held.publishingProfile?.targetRegions?.map((r) => r.excludeFromLatest ?? false)).toEqual([
      false,
      false,
    ]);
    expect(await vmLatest(image, 'eastus')).toBe(BAD);
  });

  it('refuses without a verified operator (App Service authentication not configured)', async () => {
    const image = 'windows-healthy';
    await publish(image);
    const result = await gg(['rollback', `${image}/${BAD}`, '--reason', 'bad'], env(unverified));
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('App Service authentication is not configured');
    const untouched = await h.compute.galleryImageVersions.get(RG, GALLERY, image, BAD);
    expect(untouched.publishingProfile?.targetRegions?.map((r) => r.excludeFromLatest ?? false)).toEqual([
      false,
      false,
    ]);
  });

  it('has help, and refuses to run without a reason (exit code 2)', async () => {
    const help = await gg(['rollback', '--help'], env(stack));
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('gg rollback');
    expect(help.stdout).toContain('--reason');
    const noReason = await gg(['rollback', 'ubuntu-healthy/1.1.0'], env(stack));
    expect(noReason.code).toBe(2);
  });
});
