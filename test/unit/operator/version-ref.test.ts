import { parseGalleryId } from '../../../shared/arm/resource-id';
import { OperatorInputError } from '../../../shared/operator/operator-errors';
import { resolveRef, toVersionId } from '../../../shared/operator/version-ref';

const SUB = '00000000-0000-0000-0000-000000000001';
const gallery = (name: string) =>
  parseGalleryId(
    `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/${name}`,
  );
const ONE = [gallery('gg_demo_gallery')];
const TWO = [gallery('gg_demo_gallery'), gallery('other_gallery')];
const FULL = `/subscriptions/${SUB}/resourceGroups/rg-images/providers/Microsoft.Compute/galleries/gg_demo_gallery/images/ubuntu-cloned/versions/1.0.0`;

describe('operator references', () => {
  it('reads image/version within the one gallery in scope', () => {
    expect(resolveRef('ubuntu-cloned/1.0.0', ONE)).toMatchObject({ kind: 'version', versionId: FULL });
  });

  it('needs gallery/image/version when several galleries are in scope, and says so', () => {
    expect(() => resolveRef('ubuntu-cloned/1.0.0', TWO)).toThrow(
      /ambiguous: 2 galleries are in scope \(gg_demo_gallery, other_gallery\); use gallery\/image\/version/,
    );
    expect(resolveRef('GG_DEMO_GALLERY/ubuntu-cloned/1.0.0', TWO)).toMatchObject({ versionId: FULL });
  });

  it('takes a full version id and a run id', () => {
    expect(resolveRef(FULL.toLowerCase(), ONE)).toMatchObject({ kind: 'version' });
    expect(resolveRef(`${SUB}|rg-images|gg_demo_gallery|ubuntu-cloned|1.0.0/0001`, ONE)).toEqual({
      kind: 'run',
      key: { partitionKey: `${SUB}|rg-images|gg_demo_gallery|ubuntu-cloned|1.0.0`, rowKey: '0001' },
      runId: `${SUB}|rg-images|gg_demo_gallery|ubuntu-cloned|1.0.0/0001`,
    });
  });

  it.each([
    ['', /reference is required/],
    ['ubuntu-cloned', /neither image\/version/],
    ['nope/ubuntu-cloned/1.0.0', /no gallery named nope in GG_GALLERY_SCOPES/],
    ['ubuntu-cloned/latest', /Invalid image version name "latest"/],
    [
      FULL.replace('gg_demo_gallery', 'other_gallery'),
      /other_gallery is not one of the galleries in GG_GALLERY_SCOPES/,
    ],
  ])('refuses %j with a message that says why', (text, message) => {
    expect(() => resolveRef(text, ONE)).toThrow(OperatorInputError);
    expect(() => resolveRef(text, ONE)).toThrow(message);
  });

  it('leaves a full id to the use case (it decides about scope) and refuses run ids for version actions', () => {
    const outside = FULL.replace('gg_demo_gallery', 'other_gallery');
    expect(toVersionId(outside, ONE)).toBe(outside);
    expect(toVersionId('ubuntu-cloned/1.0.0', ONE)).toBe(FULL);
    expect(() => toVersionId(`${SUB}|rg-images|gg_demo_gallery|ubuntu-cloned|1.0.0/0001`, ONE)).toThrow(
      /not a run id/,
    );
  });
});
