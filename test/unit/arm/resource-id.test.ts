import { parseGalleryId, parseImageVersionId, ResourceIdError } from '../../../shared/arm/resource-id';

const SUB = '00000000-0000-0000-0000-000000000001';
const VERSION_ID = `/subscriptions/${SUB}/resourceGroups/rg-Images/providers/Microsoft.Compute/galleries/corp_gallery/images/ubuntu-22.04/versions/1.2.3`;

describe('parseImageVersionId', () => {
  it('splits a version id into its parts, keeping the spelling', () => {
    const ref = parseImageVersionId(VERSION_ID);
    expect(ref).toMatchObject({
      subscriptionId: SUB,
      resourceGroup: 'rg-Images',
      gallery: 'corp_gallery',
      image: 'ubuntu-22.04',
      version: '1.2.3',
    });
  });

  it('gives the same key to ids that differ only in case', () => {
    expect(parseImageVersionId(VERSION_ID.toLowerCase()).key).toBe(parseImageVersionId(VERSION_ID).key);
    expect(parseImageVersionId(VERSION_ID).galleryKey).toBe(
      parseGalleryId(VERSION_ID.split('/images/')[0]!).key,
    );
  });

  it.each([
    ['an image definition id', VERSION_ID.replace('/versions/1.2.3', '')],
    ['a VM id', `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1`],
    ['a non-numeric version', VERSION_ID.replace('1.2.3', 'latest')],
    ['a bad subscription', VERSION_ID.replace(SUB, 'not-a-guid')],
    ['a relative id', VERSION_ID.slice(1)],
    ['a path traversal', VERSION_ID.replace('corp_gallery', '..')],
    ['a different provider', VERSION_ID.replace('Microsoft.Compute', 'Microsoft.Evil')],
  ])('rejects %s', (_what, id) => {
    expect(() => parseImageVersionId(id)).toThrow(ResourceIdError);
  });
});
