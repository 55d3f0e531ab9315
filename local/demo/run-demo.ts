import { randomUUID } from 'node:crypto';
import { DEMO, DEMO_IMAGES } from '../arm-sim';
import { createArmClients } from '../../shared/azure/arm-clients';
import { Phase } from '../../shared/validation/run/validation-phase';
import { DEFAULT_PORT, type AfterStartContext } from '../local-service';
import { localCredential } from '../azure/local-token-credential';

const GALLERY = `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}/providers/Microsoft.Compute/galleries/${DEMO.gallery}`;
const versionIdOf = (image: string): string => `${GALLERY}/images/${image}/versions/${DEMO.version}`;
const DEADLINE_MS = 5 * 60_000;

/** What GET /api/runs answers per run (shared/operator/run-summary.ts). */
interface RunRow {
  readonly state: string;
  readonly phase?: string;
}

/** The Event Grid delivery Azure would send when the version was published (as in local/samples). */
function writeEvent(versionId: string): unknown[] {
  return [
    {
      id: randomUUID(),
      topic: `/subscriptions/${DEMO.subscriptionId}`,
      subject: versionId,
      eventType: 'Microsoft.Resources.ResourceWriteSuccess',
      eventTime: new Date().toISOString(),
      data: {
        authorization: { scope: versionId, action: 'Microsoft.Compute/galleries/images/versions/write' },
        correlationId: randomUUID(),
        resourceProvider: 'Microsoft.Compute',
        resourceUri: versionId,
        operationName: 'Microsoft.Compute/galleries/images/versions/write',
        status: 'Succeeded',
        subscriptionId: DEMO.subscriptionId,
        tenantId: '00000000-0000-0000-0000-0000000000aa',
      },
      dataVersion: '2',
      metadataVersion: '1',
    },
  ];
}

/**
 * `npm start`'s demo: publishes the six demo versions' events to the local runner, waits until every
 * run has a verdict and its actions are done (cards and pages print as the sinks receive them), then
 * prints each verdict with the version's state read back from the simulator.
 */
export async function runDemo({ runnerUrl, config, local, output }: AfterStartContext): Promise<void> {
  const api = (route: string): string =>
    `${runnerUrl}/api/${route}${route.includes('?') ? '&' : '?'}code=${encodeURIComponent(local.functionKey)}`;
  output.say(`Demo: publishing ${DEMO_IMAGES.length} image versions of ${DEMO.gallery} ...`);
  for (const image of DEMO_IMAGES) {
    const response = await fetch(api('events/eventgrid'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'Notification' },
      body: JSON.stringify(writeEvent(versionIdOf(image.name))),
    });
    if (!response.ok) throw new Error(`the Event Grid webhook answered ${response.status}`);
    const { outcomes } = (await response.json()) as { outcomes?: { decision?: string }[] };
    // Azurite keeps its data between starts, the simulator does not: validate again on a re-run.
    if (outcomes?.[0]?.decision === 'duplicate') {
      const again = await fetch(api('versions/revalidate'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          versionId: versionIdOf(image.name),
          reason: 'npm start demo',
          requestedBy: 'demo',
        }),
      });
      if (again.status !== 202 && again.status !== 409)
        throw new Error(`re-validation answered ${again.status}`);
    }
  }
  const done = new Map<string, RunRow>();
  const deadline = Date.now() + DEADLINE_MS;
  while (done.size < DEMO_IMAGES.length && Date.now() < deadline) {
    for (const image of DEMO_IMAGES) {
      if (done.has(image.name)) continue;
      const response = await fetch(api(`runs?ref=${encodeURIComponent(versionIdOf(image.name))}`));
      const { runs } = (await response.json()) as { runs?: RunRow[] };
      const run = runs?.[0]; // newest attempt first
      if (run?.phase === Phase.Complete) done.set(image.name, run);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const compute = createArmClients(config, DEMO.subscriptionId, localCredential).compute;
  const gg = `${local.port === DEFAULT_PORT ? '' : `GG_LOCAL_PORT=${local.port} `}npx gg`;
  const lines = ['', 'Demo finished: verdicts and what they changed', ''];
  const results: Record<string, string>[] = [];
  for (const image of DEMO_IMAGES) {
    const run = done.get(image.name);
    const version = await compute.galleryImageVersions.get(
      DEMO.resourceGroup,
      DEMO.gallery,
      image.name,
      DEMO.version,
    );
    const excluded = version.publishingProfile?.excludeFromLatest === true;
    const eol = version.publishingProfile?.endOfLifeDate?.toISOString();
    const state = excluded
      ? `QUARANTINED (excluded from latest${eol === undefined ? '' : `, end of life ${eol}`})`
      : 'in latest';
    const verdict = run?.state ?? 'still running';
    lines.push(`  ${image.name.padEnd(22)} ${verdict.padEnd(13)} ${state}`);
    results.push({ image: image.name, verdict, latest: state });
  }
  lines.push(
    '',
    'Cards and pages: printed above as the local Teams/PagerDuty sinks received them.',
    `Look closer: ${gg} runs list · ${gg} runs show ubuntu-cloned/${DEMO.version} · ${gg} health`,
  );
  output.say(lines.join('\n').trim(), { results });
}
