import {
  compareSemver,
  isExcludedIn,
  latestPerRegion,
  replicasIn,
} from '../../../shared/gallery/latest-version';

const version = (
  name: string,
  excludeFromLatest: boolean | undefined,
  regions: Record<string, boolean | undefined>,
) => ({
  id: `/v/${name}`,
  location: 'eastus',
  name,
  publishingProfile: {
    ...(excludeFromLatest === undefined ? {} : { excludeFromLatest }),
    targetRegions: Object.entries(regions).map(([name, flag]) => ({
      name,
      ...(flag === undefined ? {} : { excludeFromLatest: flag }),
    })),
  },
});

describe('latest per region', () => {
  it('compares semantic versions numerically, not as text', () => {
    expect(compareSemver('1.10.0', '1.9.9')).toBeGreaterThan(0);
    expect(compareSemver('2.0.0', '10.0.0')).toBeLessThan(0);
  });

  it('picks the highest version not excluded, region by region', () => {
    const latest = latestPerRegion([
      version('1.0.0', false, { 'East US': undefined, westeurope: undefined }),
      version('1.2.0', false, { 'East US': true, westeurope: undefined }),
      version('1.10.0', true, { eastus: undefined }),
    ]);
    expect(Object.fromEntries([...latest].map(([r, v]) => [r, v.name]))).toEqual({
      eastus: '1.0.0',
      westeurope: '1.2.0',
    });
  });

  it('lets the regional flag win over the version-wide one', () => {
    const v = version('1.0.0', true, { eastus: false, westeurope: undefined });
    expect(isExcludedIn(v, 'East US')).toBe(false);
    expect(isExcludedIn(v, 'westeurope')).toBe(true);
  });

  it('counts regional replicas, else the version-wide count', () => {
    const v = {
      location: 'eastus',
      name: '1.0.0',
      publishingProfile: {
        replicaCount: 2,
        targetRegions: [{ name: 'eastus', regionalReplicaCount: 5 }, { name: 'westeurope' }],
      },
    };
    expect(replicasIn(v, 'eastus')).toBe(5);
    expect(replicasIn(v, 'West Europe')).toBe(2);
  });
});
