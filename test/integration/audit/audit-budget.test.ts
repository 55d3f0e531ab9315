/**
 * The audit's ARM request budget: a gallery with 2,000 versions is read with list calls only, so the
 * audit costs 1 gallery GET + 1 definition list + 1 version list per definition (plus one request per
 * further nextLink page), counted by the simulator, with no 429. And a gallery with nothing wrong
 * yields no findings and no digest card.
 */
import { DEMO } from '../../../local/arm-sim';
import type { ArmResource } from '../../../local/arm-sim/resource-store';
import { GALLERY_ID, startAuditHarness, type AuditHarness } from './audit-harness';

jest.setTimeout(60_000);

const VERSIONS = 2000;
let h: AuditHarness;

function put(resource: ArmResource): void {
  h.sim.sim.store.put(resource, 'scenario');
}

beforeAll(async () => {
  h = await startAuditHarness({ scenario: 'empty' });
  put({
    id: `/subscriptions/${DEMO.subscriptionId}/resourceGroups/${DEMO.resourceGroup}`,
    name: DEMO.resourceGroup,
    type: 'Microsoft.Resources/resourceGroups',
    location: 'eastus',
    tags: {},
    properties: { provisioningState: 'Succeeded' },
  });
  put({
    id: GALLERY_ID,
    name: DEMO.gallery,
    type: 'Microsoft.Compute/galleries',
    location: 'eastus',
    tags: { owner: 'team-platform@example.com', teamsWebhook: 'linux' },
    properties: { description: 'budget', identifier: { uniqueName: 'x' }, provisioningState: 'Succeeded' },
  });
});

afterAll(async () => {
  await h?.close();
});

it('finds nothing in a gallery with nothing wrong, and sends no digest', async () => {
  const summary = await h.audit();
  expect(summary.galleries).toEqual([expect.objectContaining({ status: 'audited', findings: 0 })]);
  await h.stack.runner.triggerTimer('governance-audit-digest');
  expect(h.sinks.accepted('teams')).toEqual([]);
});

it(`audits ${VERSIONS} versions within 2 + definitions ARM requests, without a 429`, async () => {
  const definitionId = `${GALLERY_ID}/images/big-image`;
  put({
    id: definitionId,
    name: 'big-image',
    type: 'Microsoft.Compute/galleries/images',
    location: 'eastus',
    tags: {},
    properties: {
      osType: 'Linux',
      osState: 'Generalized',
      identifier: { publisher: 'contoso', offer: 'ubuntu', sku: 'big' },
      provisioningState: 'Succeeded',
    },
  });
  const published = new Date().toISOString();
  for (let i = 0; i < VERSIONS; i++) {
    const name = `1.${Math.floor(i / 100)}.${i % 100}`;
    put({
      id: `${definitionId}/versions/${name}`,
      name,
      type: 'Microsoft.Compute/galleries/images/versions',
      location: 'eastus',
      tags: {},
      properties: {
        publishingProfile: {
          targetRegions: [{ name: 'East US', regionalReplicaCount: 3, storageAccountType: 'Standard_LRS' }],
          replicaCount: 3,
          publishedDate: published,
        },
        storageProfile: { osDiskImage: { sizeInGB: 30 } },
        provisioningState: 'Succeeded',
      },
    });
  }
  h.sim.resetOperationCounts();
  h.requests.length = 0;

  const summary = await h.audit();

  const counts = h.sim.operationCounts();
  const definitions = 1;
  expect(summary.galleries).toEqual([
    expect.objectContaining({ status: 'audited', definitions, versions: VERSIONS }),
  ]);
  expect(counts.total).toBeLessThanOrEqual(2 + definitions);
  expect(counts.byOperation).toEqual({
    'Microsoft.Compute/galleries/images/read': 1,
    'Microsoft.Compute/galleries/images/versions/read': 1,
    'Microsoft.Compute/galleries/read': 1,
  });
  expect(h.requests.filter((r) => r.status === 429)).toEqual([]);
  // Only the highest version is latest; it was never validated.
  const findings = await h.findings('Open');
  expect(findings.filter((f) => f.rule === 'latest-not-passed').map((f) => f.resourceId)).toEqual([
    `${definitionId}/versions/1.19.99`,
  ]);
});
