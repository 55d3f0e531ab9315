import { selectRegions, validationPolicyFromTags } from '../../../shared/policy/validation-policy';

describe('validationPolicyFromTags', () => {
  it('lets definition tags override gallery tags', () => {
    const policy = validationPolicyFromTags(
      { 'gg-validate-regions': 'first:1' },
      { 'gg-validate-regions': 'all', 'gg-owner': 'team-a' },
    );
    expect(policy.regions).toEqual({ kind: 'first', count: 1 });
    expect(policy.owner).toBe('team-a');
  });

  it('falls back to all regions on a bad tag, and says so', () => {
    const policy = validationPolicyFromTags({ 'gg-validate-regions': 'first:x!' }, undefined);
    expect(policy.regions).toEqual({ kind: 'all' });
    expect(policy.problems).toHaveLength(1);
  });

  it('never selects a region without a validation subnet', () => {
    expect(
      selectRegions({ kind: 'all' }, ['East US', 'westeurope', 'japaneast'], ['eastus', 'westeurope']),
    ).toEqual(['eastus', 'westeurope']);
    expect(
      selectRegions({ kind: 'named', regions: ['japaneast'] }, ['eastus', 'japaneast'], ['eastus']),
    ).toEqual([]);
  });
});
