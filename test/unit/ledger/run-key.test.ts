import { parseImageVersionId } from '../../../shared/arm/resource-id';
import {
  attemptRowKey,
  parseRunId,
  runIdOf,
  runKeyOf,
  versionPartitionKey,
} from '../../../shared/ledger/run-key';
import { assertTableKey } from '../../../shared/azure/table-key';

const SUB = '8f2d6c3a-1b5e-4c2d-9f00-3a7b6c5d4e21';
const id = (rg: string, gallery: string, image = 'img', version = '1.0.0'): string =>
  `/subscriptions/${SUB}/resourceGroups/${rg}/providers/Microsoft.Compute/galleries/${gallery}/images/${image}/versions/${version}`;

describe('versionPartitionKey', () => {
  it.each([
    ['plain names', id('rg-images', 'contosoGallery')],
    ['periods and underscores', id('rg.images_(prod)', 'gallery_v2.eu', 'ubuntu-22.04_lts', '2026.11.27')],
    ['Unicode resource group', id('rg-bilder-übersicht', 'g1')],
    ['longest names', id('r'.repeat(90), 'g'.repeat(80), 'i'.repeat(80), '1234567890.1234567890.1234567890')],
  ])('is a legal Table key for %s', (_what, versionId) => {
    const key = versionPartitionKey(parseImageVersionId(versionId));
    expect(() => assertTableKey(key)).not.toThrow();
  });

  it('is the same whatever the casing of the id (ARM ids are case-insensitive)', () => {
    const arm = parseImageVersionId(id('RG-Images', 'ContosoGallery', 'Ubuntu'));
    const lower = parseImageVersionId(id('RG-Images', 'ContosoGallery', 'Ubuntu').toLowerCase());
    expect(versionPartitionKey(arm)).toBe(versionPartitionKey(lower));
  });

  it('differs between versions, images and galleries whose names could run together', () => {
    const keys = [
      id('rg', 'a_b', 'c'),
      id('rg', 'a', 'b_c'),
      id('rg', 'g', 'img', '1.0.1'),
      id('rg', 'g', 'img', '1.0.10'),
    ].map((v) => versionPartitionKey(parseImageVersionId(v)));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('run keys and ids', () => {
  it('round-trips a run id', () => {
    const key = runKeyOf(parseImageVersionId(id('rg', 'g')), 3);
    expect(key.rowKey).toBe('0003');
    expect(parseRunId(runIdOf(key))).toEqual(key);
  });

  it.each([[0], [10000], [1.5]])('rejects attempt %p', (attempt) => {
    expect(() => attemptRowKey(attempt)).toThrow(RangeError);
  });

  it('rejects a run id without a row key', () => {
    expect(() => parseRunId('just-a-partition')).toThrow(/Not a run id/);
  });
});
