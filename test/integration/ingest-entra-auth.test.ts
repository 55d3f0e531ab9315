/**
 * Ingest webhooks behind Microsoft Entra tokens (GG_INGEST_ENTRA_*), through the local runner and
 * the real handlers: a JWKS on a loopback port serves keys jose generated here; every forged class
 * is refused with 401 and a reason, logged without the token, and creates no run.
 */
import { odata } from '@azure/data-tables';
import { RUN_TABLE } from '../../shared/ledger';
import { activityLogAlert, eventGridWrite, loadFixture, versionIdOf } from '../support/event-payloads';
import {
  EVENT_GRID_APP,
  TEST_CLIENT_ID,
  startEntraTokenIssuer,
  type EntraTokenIssuer,
  type TokenOptions,
} from '../support/entra-token-issuer';
import { startLocalStack, type LocalStack } from '../support/local-stack';

let issuer: EntraTokenIssuer;
let stack: LocalStack;

beforeAll(async () => {
  issuer = await startEntraTokenIssuer();
  stack = await startLocalStack({
    env: issuer.ingestSettings,
  });
});

afterAll(async () => {
  await stack?.close();
  await issuer?.close();
});

async function runRows(versionId: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  const filter = odata`versionKey eq ${versionId.toLowerCase()}`;
  for await (const row of stack.table(RUN_TABLE).listEntities({ queryOptions: { filter } })) rows.push(row);
  return rows;
}

const withToken = (token: string | undefined) =>
  token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } };

describe('Activity Log webhook with Entra authentication', () => {
  it('accepts the action group’s token (v2.0) and creates the run', async () => {
    const versionId = versionIdOf('11.0.0');
    await stack.gallery.publish(versionId);
    const response = await stack.post(
      'events/activity-log',
      activityLogAlert({ versionId, alertId: 'entra-ok' }),
      withToken(await issuer.token()),
    );
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcomes: [{ decision: 'run-created' }] });
    expect(await runRows(versionId)).toHaveLength(1);
  });

  const forged: [string, () => Promise<string | undefined>, RegExp][] = [
    ['no token', () => Promise.resolve(undefined), /no Microsoft Entra access token/],
    [
      'a bad signature (claims altered after signing)',
      async () => {
        const [header, , signature] = (await issuer.token()).split('.');
        const claims = Buffer.from(JSON.stringify({ aud: TEST_CLIENT_ID, exp: 9e9 })).toString('base64url');
        return `${header}.${claims}.${signature}`;
      },
      /signature invalid/,
    ],
    [
      'another key under the published kid',
      () => issuer.token({ key: 'unpublished', kid: 'published-key' }),
      /signature invalid/,
    ],
    ['a key the tenant does not publish', () => issuer.token({ key: 'unpublished' }), /does not publish/],
    ['an expired token', () => issuer.token({ expiresIn: -3600 }), /token expired/],
    ['another audience', () => issuer.token({ audience: 'api://someone-else' }), /another audience/],
    [
      'another issuer',
      () => issuer.token({ issuer: 'https://login.microsoftonline.com/common/v2.0' }),
      /another issuer/,
    ],
    [
      'another caller app',
      () => issuer.token({ appId: '00000000-1111-4222-8333-444444444444' }),
      /caller app 00000000-.* may not send action-group events/,
    ],
    ['an unsigned token (alg none)', () => Promise.resolve(issuer.unsignedToken()), /malformed|algorithm/],
  ];

  it.each(forged)(
    'refuses %s with 401, a reason and a log line, and creates no run',
    async (_what, make, reason) => {
      const versionId = versionIdOf(`11.1.${forged.findIndex(([w]) => w === _what)}`);
      await stack.gallery.publish(versionId);
      const token = await make();
      const before = stack.logs.length;
      const response = await stack.post(
        'events/activity-log',
        activityLogAlert({ versionId, alertId: `forged-${_what}` }),
        withToken(token),
      );
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
      expect(JSON.stringify(response.json)).toMatch(reason);
      const lines = stack.logs.slice(before);
      const rejected = lines.find((l) => l.message === 'Rejected webhook caller');
      expect(rejected).toMatchObject({ level: 'warn', status: 401, sender: 'action-group' });
      expect(String(rejected?.reason)).toMatch(reason);
      if (token !== undefined) {
        expect(JSON.stringify(lines)).not.toContain(token.split('.')[1]!);
      }
      expect(await runRows(versionId)).toHaveLength(0);
    },
  );
});

describe('Event Grid webhook with Entra authentication', () => {
  it('accepts Event Grid’s token (v1.0, identifier URI audience) and creates the run', async () => {
    const versionId = versionIdOf('11.2.0');
    await stack.gallery.publish(versionId);
    const token = await issuer.token({ version: '1.0', appId: EVENT_GRID_APP });
    const response = await stack.post('events/eventgrid', eventGridWrite({ versionId }), withToken(token));
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ outcomes: [{ decision: 'run-created' }] });
    expect(await runRows(versionId)).toHaveLength(1);
  });

  it('refuses the action group’s token: it is not the Event Grid app', async () => {
    const versionId = versionIdOf('11.2.1');
    await stack.gallery.publish(versionId);
    const response = await stack.post(
      'events/eventgrid',
      eventGridWrite({ versionId }),
      withToken(await issuer.token()),
    );
    expect(response.status).toBe(401);
    expect(await runRows(versionId)).toHaveLength(0);
  });

  it('still answers the subscription validation handshake, which changes nothing', async () => {
    const response = await stack.post(
      'events/eventgrid',
      loadFixture('eventgrid-subscription-validation.json'),
    );
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ validationResponse: '512d38b6-c7b8-40c8-89fe-f46f9e9622b6' });
  });

  it('refuses a handshake batch that also carries a write, without a token', async () => {
    const versionId = versionIdOf('11.2.2');
    await stack.gallery.publish(versionId);
    const batch = [
      ...loadFixture<unknown[]>('eventgrid-subscription-validation.json'),
      ...eventGridWrite({ versionId }),
    ];
    const response = await stack.post('events/eventgrid', batch);
    expect(response.status).toBe(401);
    expect(await runRows(versionId)).toHaveLength(0);
  });
});

// Keeps the option type in use for readers extending the matrix.
export type { TokenOptions };
