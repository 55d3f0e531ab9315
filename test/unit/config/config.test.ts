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
