import { DEMO } from '../../local/arm-sim';
import { startNotificationSinks, type NotificationSinks } from '../../local/sinks/notification-sinks';
import { createArmClients } from '../../shared/azure/arm-clients';
import { versionStateOf } from '../../shared/remediation/version-state';
import { adaptiveCardProblems } from '../unit/notify/adaptive-card-validation';
import { startValidationHarness, versionIdOf, type ValidationHarness } from './validation-harness';
import { localCredential } from '../../local/azure/local-token-credential';

let h: ValidationHarness;
let sinks: NotificationSinks;

beforeAll(async () => {
  sinks = await startNotificationSinks();
  h = await startValidationHarness({
    env: {
      GG_DEFAULT_MODE: 'quarantine',
      GG_TEAMS_DEFAULT_WEBHOOK_URL: sinks.teamsUrl('default'),
      GG_PAGERDUTY_ROUTING_KEY: 'e2e-routing-key',
      GG_PAGERDUTY_EVENTS_URL: sinks.pagerdutyUrl,
      GG_NOTIFY_RETRY_BASE_MS: '1',
    },
  });
});

afterAll(async () => {
  await h?.close();
  await sinks?.close();
});

const about = (image: string) => (p: { body: unknown }) =>
  JSON.stringify(p.body).includes(`/images/${image}/versions/`);

it('an event for a broken version ends quarantined, with one card and one page; a healthy one passes untouched', async () => {
  // Duplicated deliveries, as Event Grid may send them.
  await Promise.all([
    h.publish('ubuntu-kernel-panic'),
    h.publish('ubuntu-kernel-panic'),
    h.publish('ubuntu-healthy'),
  ]);
  const [broken, healthy] = await Promise.all([
    h.finalRun('ubuntu-kernel-panic', 170_000),
    h.finalRun('ubuntu-healthy', 170_000),
  ]);
  expect(broken.state).toBe('Failed');
  expect(healthy.state).toBe('Passed');

  const compute = createArmClients(
    { arm: { endpoint: h.sim.endpoint, caCertPath: h.sim.caCertPath, pollIntervalMs: 5 } },
    DEMO.subscriptionId,
    localCredential,
  ).compute;
  const read = async (image: string) =>
    versionStateOf(
      await compute.galleryImageVersions.get(DEMO.resourceGroup, DEMO.gallery, image, DEMO.version),
    );
  expect(await read('ubuntu-kernel-panic')).toMatchObject({
    excludeFromLatest: true,
    regions: [{ excludeFromLatest: true }, { excludeFromLatest: true }],
  });
  expect((await read('ubuntu-healthy')).excludeFromLatest).toBe(false);

  const cards = sinks.accepted('teams');
  expect(cards.filter(about('ubuntu-kernel-panic'))).toHaveLength(1);
  expect(cards.filter(about('ubuntu-healthy'))).toHaveLength(1);
  for (const card of cards) {
    const content = (card.body as { attachments: { content: unknown }[] }).attachments[0]?.content;
    expect(adaptiveCardProblems(content)).toEqual([]);
  }
  const pages = sinks.accepted('pagerduty');
  expect(pages).toHaveLength(1);
  expect(pages[0]?.body).toMatchObject({
    event_action: 'trigger',
    dedup_key: versionIdOf('ubuntu-kernel-panic').toLowerCase(),
  });
}, 180_000);
