import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { loadConfig, type IngestEntraAuth } from '../../../shared/config';
import { createSenderVerifier } from '../../../shared/events/sender-token';
import { FIXTURE_GALLERY_ID } from '../../support/event-payloads';
import {
  EVENT_GRID_APP as EVENT_GRID,
  TEST_TENANT,
  startEntraTokenIssuer,
  type EntraTokenIssuer,
} from '../../support/entra-token-issuer';

let issuer: EntraTokenIssuer;
let auth: IngestEntraAuth;

beforeAll(async () => {
  issuer = await startEntraTokenIssuer();
  auth = loadConfig({
    AzureWebJobsStorage: 'UseDevelopmentStorage=true',
    GG_GALLERY_SCOPES: FIXTURE_GALLERY_ID,
    ...issuer.ingestSettings,
  }).ingest.entraAuth!;
});

afterAll(() => issuer.close());

const bearer = (token: string) => `Bearer ${token}`;

describe('webhook sender tokens', () => {
  it('accept a v2.0 action-group token and a v1.0 Event Grid token of the tenant', async () => {
    const verifier = createSenderVerifier(auth);
    await expect(verifier.verify(bearer(await issuer.token()), 'action-group')).resolves.toEqual({
      ok: true,
      appId: '461e8683-5575-4561-ac7f-899cc907d62a',
    });
    const v1 = await issuer.token({ version: '1.0', appId: EVENT_GRID });
    await expect(verifier.verify(bearer(v1), 'event-grid')).resolves.toEqual({ ok: true, appId: EVENT_GRID });
  });

  it('refuse a token of another tenant even when signed with a published key', async () => {
    const other = '11111111-2222-4333-8444-555555555555';
    const token = await issuer.token({ issuer: `${issuer.authority}/${TEST_TENANT}/v2.0`, tenant: other });
    await expect(createSenderVerifier(auth).verify(bearer(token), 'action-group')).resolves.toMatchObject({
      ok: false,
      status: 401,
      reason: 'token of another tenant',
    });
  });

  it('refuse the action-group app on the Event Grid webhook and vice versa', async () => {
    const verifier = createSenderVerifier(auth);
    const actionGroup = await issuer.token();
    const refused = await verifier.verify(bearer(actionGroup), 'event-grid');
    expect(refused).toMatchObject({ ok: false, status: 401 });
    expect(refused.ok ? '' : refused.reason).toMatch(/caller app 461e8683-.* may not send event-grid events/);
    const eventGrid = await issuer.token({ appId: EVENT_GRID });
    await expect(verifier.verify(bearer(eventGrid), 'action-group')).resolves.toMatchObject({ status: 401 });
  });

  it('answer 503 (retry) when the signing keys cannot be fetched, not 401', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const verifier = createSenderVerifier({ ...auth, jwksUrl: `http://127.0.0.1:${closed}/keys` });
    const unavailable = await verifier.verify(bearer(await issuer.token()), 'action-group');
    expect(unavailable).toMatchObject({ ok: false, status: 503 });
    expect(unavailable.ok ? '' : unavailable.reason).toMatch(/^signing keys unavailable/);
  });

  it('refuse a header that is not a bearer token without fetching keys', async () => {
    const before = issuer.keyRequests();
    const verifier = createSenderVerifier(auth);
    for (const header of [null, '', 'Basic dXNlcjpwYXNz', 'Bearer']) {
      await expect(verifier.verify(header, 'action-group')).resolves.toMatchObject({ status: 401 });
    }
    expect(issuer.keyRequests()).toBe(before);
  });
});
