import { ConfigError, loadConfig } from '../../../shared/config';

const GALLERY =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/g1';
const BASE = { AzureWebJobsStorage: 'UseDevelopmentStorage=true', GG_GALLERY_SCOPES: GALLERY };

describe('loadConfig', () => {
  it('reads a minimal valid environment with defaults', () => {
    const config = loadConfig(BASE);
    expect(config.ingest.galleryScopes.map((g) => g.gallery)).toEqual(['g1']);
    expect(config.arm.endpoint).toBe('https://management.azure.com');
  });

  it('names the setting that is missing', () => {
    expect(() => loadConfig({ AzureWebJobsStorage: 'x' })).toThrow(/GG_GALLERY_SCOPES/);
  });

  it('names the setting that is malformed', () => {
    const attempt = () => loadConfig({ ...BASE, GG_AUDIT_RETENTION_DAYS: 'ten' });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/GG_AUDIT_RETENTION_DAYS/);
  });

  it('rejects a scope that is not a gallery id', () => {
    expect(() => loadConfig({ ...BASE, GG_GALLERY_SCOPES: `${GALLERY}/images/x` })).toThrow(
      /GG_GALLERY_SCOPES/,
    );
  });
});

describe('ingest Entra authentication settings', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

  it('are off unless a tenant is set', () => {
    expect(loadConfig(BASE).ingest.entraAuth).toBeUndefined();
  });

  it('derive the v1.0 and v2.0 issuers and the key set from the tenant and authority', () => {
    const auth = loadConfig({
      ...BASE,
      GG_INGEST_ENTRA_TENANT_ID: TENANT.toUpperCase(),
      GG_INGEST_ENTRA_AUDIENCES: 'api://gallery-guard, 0c1d2e3f-4a5b-4c6d-8e7f-901234567890',
      GG_INGEST_ENTRA_AUTHORITY: 'https://login.microsoftonline.us/',
    }).ingest.entraAuth;
    expect(auth).toEqual({
      tenantId: TENANT,
      audiences: ['api://gallery-guard', '0c1d2e3f-4a5b-4c6d-8e7f-901234567890'],
      jwksUrl: `https://login.microsoftonline.us/${TENANT}/discovery/v2.0/keys`,
      issuers: [`https://sts.windows.net/${TENANT}/`, `https://login.microsoftonline.us/${TENANT}/v2.0`],
      actionGroupAppIds: ['461e8683-5575-4561-ac7f-899cc907d62a'],
      eventGridAppIds: ['4962773b-9cdb-44cf-a8bf-237846a00ab7'],
    });
  });

  it.each([
    [{ GG_INGEST_ENTRA_TENANT_ID: TENANT }, /GG_INGEST_ENTRA_AUDIENCES: required/],
    [{ GG_INGEST_ENTRA_AUDIENCES: 'api://x' }, /GG_INGEST_ENTRA_TENANT_ID: required/],
    [{ GG_INGEST_ENTRA_TENANT_ID: 'contoso.onmicrosoft.com' }, /GG_INGEST_ENTRA_TENANT_ID: expected a GUID/],
    [
      {
        GG_INGEST_ENTRA_TENANT_ID: TENANT,
        GG_INGEST_ENTRA_AUDIENCES: 'a',
        GG_INGEST_ACTION_GROUP_APP_IDS: 'x',
      },
      /GG_INGEST_ACTION_GROUP_APP_IDS: expected comma-separated GUIDs/,
    ],
  ])('name the bad setting (%j)', (env, message) => {
    const attempt = () => loadConfig({ ...BASE, ...env });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });
});
