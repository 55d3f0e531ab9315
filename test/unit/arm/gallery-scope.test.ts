import { parseGalleryId, parseImageVersionId } from '../../../shared/arm/resource-id';
import { loadConfig } from '../../../shared/config';
import { isInGalleryScope } from '../../../shared/arm/gallery-scope';
import { ingestVersionSignal, type IngestServices } from '../../../shared/events/ingest-version-signal';
import { createLogger } from '../../../shared/logging/logger';
import { FIXTURE_GALLERY_ID, versionIdOf } from '../../support/event-payloads';

const scopes = [parseGalleryId(FIXTURE_GALLERY_ID)];

describe('isInGalleryScope', () => {
  it('matches a version of a configured gallery whatever the casing', () => {
    expect(
      isInGalleryScope(
        scopes,
        parseImageVersionId(versionIdOf('1.0.0').toUpperCase().replace('/SUBSCRIPTIONS', '/subscriptions')),
      ),
    ).toBe(true);
  });

  it.each([
    [
      'another gallery',
      versionIdOf('1.0.0', { gallery: FIXTURE_GALLERY_ID.replace('contosoGallery', 'contosoGallery2') }),
    ],
    [
      'a gallery whose name extends a configured one',
      versionIdOf('1.0.0', { gallery: `${FIXTURE_GALLERY_ID}x` }),
    ],
    [
      'the same gallery name in another resource group',
      versionIdOf('1.0.0', { gallery: FIXTURE_GALLERY_ID.replace('rg-images', 'rg-other') }),
    ],
  ])('rejects %s', (_what, versionId) => {
    expect(isInGalleryScope(scopes, parseImageVersionId(versionId))).toBe(false);
  });
});

describe('ingestVersionSignal outside the configured galleries', () => {
  it('decides out-of-scope and never touches the ledger or the queue', async () => {
    const untouchable = new Proxy(
      {},
      {
        get: (_target, name) => () => {
          throw new Error(`must not call ${String(name)}`);
        },
      },
    );
    const lines: string[] = [];
    const services = {
      config: loadConfig({
        AzureWebJobsStorage: 'UseDevelopmentStorage=true',
        GG_GALLERY_SCOPES: FIXTURE_GALLERY_ID,
      }),
      ledger: untouchable,
      runQueue: untouchable,
      logger: createLogger({ sink: (_level, line) => lines.push(line) }),
      clock: () => new Date(),
    } as unknown as IngestServices;
    const version = parseImageVersionId(
      versionIdOf('1.0.0', { gallery: FIXTURE_GALLERY_ID.replace('contosoGallery', 'other') }),
    );

    const outcome = await ingestVersionSignal(services, {
      eventId: 'e1',
      source: 'eventgrid',
      kind: 'write',
      version,
    });

    expect(outcome.decision).toBe('ignored-out-of-scope');
    expect(lines.join('\n')).toMatch(/not in GG_GALLERY_SCOPES/);
  });
});
