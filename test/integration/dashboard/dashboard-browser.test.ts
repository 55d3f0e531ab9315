import { writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { DEMO } from '../../../local/arm-sim';
import {
  artifactPath,
  browserUnavailable,
  launchHeadlessChromium,
  type HeadlessBrowser,
} from '../../support/browser';
import { CLIENT_PRINCIPAL_HEADER, localPrincipal } from '../../../cli/local-principal';
import { eventGridWrite } from '../../support/event-payloads';
import { eventually } from '../../support/eventually';
import { GALLERY_ID, startValidationHarness, type ValidationHarness } from '../validation-harness';

// The dashboard in a real browser over the demo scenario in quarantine mode: what a person sees.
const unavailable = browserUnavailable();
if (unavailable !== undefined) console.warn(`Skipping the dashboard browser tests: ${unavailable}`);
// A capability the machine may lack skips with the reason above; .ci/run installs it.
// eslint-disable-next-line no-restricted-properties
const suite = unavailable === undefined ? describe : describe.skip;

const IMAGES = ['ubuntu-healthy', 'ubuntu-kernel-panic', 'ubuntu-cloned'] as const;
const QUARANTINED = 'ubuntu-kernel-panic/1.0.0';
const timings: Record<string, number> = {};
const requested: string[] = [];

let h: ValidationHarness;
let browser: HeadlessBrowser;
let page: Page;

/** Opens a view with a full page load; returns ms from navigation start to the view rendered. */
async function openView(view: string): Promise<number> {
  await page.goto('about:blank');
  await page.goto(`${h.stack.apiUrl('dashboard')}#/${view}`);
  const name = view.split('/')[0]!;
  await page.waitForSelector(`body[data-ready="${name}"]`);
  const failure = page.locator('main .panel.error');
  if ((await failure.count()) > 0)
    throw new Error(`${view} view failed: ${await failure.first().textContent()}`);
  const ms = await page.evaluate(
    (mark) => performance.getEntriesByName(mark).at(-1)?.startTime ?? -1,
    `gg-rendered-${name}`,
  );
  timings[name] = Math.round(ms);
  return ms;
}

async function versionState(image: string): Promise<boolean | undefined> {
  const compute = h.stack.services.arm.compute(DEMO.subscriptionId);
  const version = await compute.galleryImageVersions.get(
    DEMO.resourceGroup,
    DEMO.gallery,
    image,
    DEMO.version,
  );
  return version.publishingProfile?.excludeFromLatest;
}

const NEXT_VERSION = '1.0.1';

/** Creates a version through ARM (the simulator) and sends its write event, as Azure would. */
async function publishVersion(image: string, version: string): Promise<void> {
  const compute = h.stack.services.arm.compute(DEMO.subscriptionId);
  const imageId = `${GALLERY_ID}/images/${image}`;
  await compute.galleryImageVersions.beginCreateOrUpdateAndWait(
    DEMO.resourceGroup,
    DEMO.gallery,
    image,
    version,
    {
      location: 'eastus',
      publishingProfile: { targetRegions: DEMO.regions.map((name) => ({ name, regionalReplicaCount: 1 })) },
      storageProfile: {
        source: {
          virtualMachineId: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/rg-image-build/providers/Microsoft.Compute/virtualMachines/${image}-build`,
        },
      },
    },
  );
  const versionId = `${imageId}/versions/${version}`;
  const sent = await h.stack.post(
    'events/eventgrid',
    eventGridWrite({ versionId, eventId: `evt-${image}-${version}` }),
    {
      headers: { 'aeg-event-type': 'Notification' },
    },
  );
  expect(sent.status).toBe(200);
  const detailOf = async () => {
    const response = await fetch(h.stack.apiUrl(`runs/detail?ref=${encodeURIComponent(versionId)}`));
    return (await response.json()) as { run?: { state?: string }; validation?: { phase?: string } };
  };
  await eventually(
    async () => {
      const detail = await detailOf();
      if (detail.validation?.phase !== 'Complete') return undefined;
      if (detail.run?.state !== 'Passed')
        throw new Error(`${image}/${version}: ${JSON.stringify(detail.run)}`);
      return true;
    },
    { timeoutMs: 150_000, intervalMs: 250, what: `a verdict for ${image}/${version}` },
  ).catch(async (error: unknown) => {
    // Say where the run stands, not only that it took too long.
    throw new Error(`${String(error)}; run now: ${JSON.stringify(await detailOf().catch(() => undefined))}`);
  });
}

suite('dashboard in headless Chromium', () => {
  beforeAll(async () => {
    // Release needs a verified operator: behind App Service authentication the platform adds the
    // signed-in user's x-ms-client-principal to every request of the browser session; here the
    // browser sends it, as the platform would.
    h = await startValidationHarness({ env: { GG_DEFAULT_MODE: 'quarantine', GG_APP_SERVICE_AUTH: 'true' } });
    for (const image of IMAGES) await h.publish(image);
    for (const image of IMAGES) await h.finalRun(image, 90_000);
    // A second version of the healthy image, so the boot-time sparkline has a line to draw.
    await publishVersion('ubuntu-healthy', NEXT_VERSION);
    browser = await launchHeadlessChromium({
      extraHTTPHeaders: { [CLIENT_PRINCIPAL_HEADER]: localPrincipal('ops@example.com') },
    });
    page = await browser.context.newPage();
    page.on('request', (request) => requested.push(request.url()));
  }, 360_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    writeFileSync(artifactPath('dashboard-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    console.log(`Dashboard load times (navigation start → view rendered, ms): ${JSON.stringify(timings)}`);
  });

  it('shows the gallery with the quarantined version and its failing checks', async () => {
    await openView('galleries');
    const row = page.locator(`tr[data-version="${QUARANTINED}"]`);
    await expect(row.locator('.badge-quarantined').textContent()).resolves.toBe('quarantined');
    await expect(row.locator('td.state').textContent()).resolves.toContain('excluded from latest');
    await expect(row.locator('td.checks').textContent()).resolves.toContain('boot-log');
    // The newer healthy version is what `latest` resolves to; the older one stays in the pool.
    const newest = page.locator(`tr[data-version="ubuntu-healthy/${NEXT_VERSION}"]`);
    await expect(newest.locator('.badge-latest').count()).resolves.toBe(1);
    const older = page.locator('tr[data-version="ubuntu-healthy/1.0.0"]');
    await expect(older.locator('.badge-candidate').count()).resolves.toBe(1);
    await expect(older.locator('.badge-quarantined').count()).resolves.toBe(0);
    await expect(
      page.locator('.definition:has(#def-ubuntu-healthy) path.sparkline-line').count(),
    ).resolves.toBe(1);
    await expect(page.locator('svg.sparkline').count()).resolves.toBeGreaterThanOrEqual(IMAGES.length);
    await page.screenshot({ path: artifactPath('screenshots', 'galleries.png'), fullPage: true });
  });

  it('opens the run with its phases, VMs per region, and the failing check with its evidence', async () => {
    await page.locator(`tr[data-version="${QUARANTINED}"] a`).click();
    await page.waitForSelector('body[data-ready="run"]');
    const check = page.locator('tr[data-check="boot-log"]').first();
    await expect(check.locator('.badge').textContent()).resolves.toBe('Failed');
    await expect(check.locator('pre.evidence').textContent()).resolves.toContain(
      'Kernel panic - not syncing',
    );
    await expect(page.locator('table.vms caption').allTextContents()).resolves.toEqual([
      'VMs in eastus',
      'VMs in westeurope',
    ]);
    await expect(page.locator('svg.timeline rect').count()).resolves.toBeGreaterThan(3);
    await expect(page.locator('#gallery-state').textContent()).resolves.toContain('excluded from latest');
    // The quarantine steps, one row each, named in their row's header cell.
    const steps = page.locator('section', { hasText: 'Remediation' }).locator('th[scope="row"]');
    await expect(steps.allTextContents()).resolves.toEqual(expect.arrayContaining(['exclude-from-latest']));
    await page.screenshot({ path: artifactPath('screenshots', 'run-quarantined.png'), fullPage: true });
  });

  it('asks for a reason before it releases, then shows the version back in latest', async () => {
    await page.locator('#release').click();
    const dialog = page.locator('dialog.action-dialog');
    await expect(dialog.isVisible()).resolves.toBe(true);
    // Keyboard first: the reason field has focus; an empty reason is refused by the form itself.
    await expect(page.evaluate('document.activeElement?.id')).resolves.toBe('reason');
    await dialog.locator('button[type="submit"]').click();
    await expect(page.evaluate("document.getElementById('reason').validity.valueMissing")).resolves.toBe(
      true,
    );
    await page.keyboard.type('   ');
    await dialog.locator('button[type="submit"]').click();
    await expect(dialog.locator('.form-message').textContent()).resolves.toContain('reason is required');
    await expect(versionState('ubuntu-kernel-panic')).resolves.toBe(true);
    await page.screenshot({ path: artifactPath('screenshots', 'release-dialog.png') });

    await dialog.locator('#reason').fill('kernel fixed in the host, image verified by hand');
    await dialog.locator('button[type="submit"]').click();
    await page.waitForSelector('p.notice:text("release: released")');
    await page.waitForSelector('body[data-ready="run"]');
    await expect(page.locator('#gallery-state').textContent()).resolves.not.toContain('excluded');
    await expect(versionState('ubuntu-kernel-panic')).resolves.toBe(false);
    const requests = page.locator('section', { hasText: 'Operator requests' });
    await expect(requests.textContent()).resolves.toContain('kernel fixed in the host');
    // The verified principal is what the record names, never a name typed into the page.
    await expect(requests.textContent()).resolves.toContain('ops@example.com (local:ops@example.com)');
    await page.screenshot({ path: artifactPath('screenshots', 'run-released.png'), fullPage: true });

    await openView('galleries');
    const row = page.locator(`tr[data-version="${QUARANTINED}"]`);
    await expect(row.locator('.badge-quarantined').count()).resolves.toBe(0);
    await expect(row.locator('td.state').textContent()).resolves.not.toContain('excluded');
  });

  it('shows in-flight runs with slot use, recent quarantines and metrics', async () => {
    await openView('inflight');
    await expect(page.locator('meter').count()).resolves.toBe(3); // subscription + two regions
    await expect(page.locator('main').textContent()).resolves.toContain('Nothing in flight.');
    await openView('quarantines');
    // ubuntu-cloned stays quarantined; the released kernel-panic version is gone from the list.
    await expect(page.locator('tr.quarantined').allTextContents()).resolves.toEqual([
      expect.stringContaining('ubuntu-cloned/1.0.0'),
    ]);
    await openView('metrics');
    await expect(page.locator('main').textContent()).resolves.toContain('gg.verdicts');
  });

  it('answers 401 without the function key, and loads nothing from elsewhere', async () => {
    const response = await fetch(h.stack.apiUrl('dashboard', { key: null }));
    expect(response.status).toBe(401);
    const asset = await fetch(`${h.stack.url}/api/dashboard/assets/app.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(requested.length).toBeGreaterThan(10);
    expect(requested.filter((url) => !url.startsWith(h.stack.url) && url !== 'about:blank')).toEqual([]);
  });
});
