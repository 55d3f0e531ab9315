import { ConfigError, loadConfig } from '../../../shared/config';
import { resolveDiffPolicy } from '../../../shared/policy/diff-policy';

const env = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  GG_ARM_ENDPOINT: 'https://localhost:8443',
  GG_GALLERY_SCOPES:
    '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.Compute/galleries/g',
};

describe('diff policy settings', () => {
  it('has safe defaults: no boot rule, new ports warn, nothing must-have', () => {
    expect(loadConfig(env).inventory).toEqual({
      enabled: true,
      diff: {
        bootRegressionPercent: 0,
        bootMinSeconds: 5,
        mustHavePackages: [],
        mustHaveServices: [],
        newPort: 'warn',
        warnOnly: [],
      },
    });
  });

  it.each([
    ['GG_DIFF_BOOT_REGRESSION_PERCENT', 'fast'],
    ['GG_DIFF_MUST_HAVE_PACKAGES', 'openssh-server, rm -rf'],
    ['GG_DIFF_NEW_PORT', 'block'],
    ['GG_DIFF_WARN_ONLY', 'boot-time,typo'],
    ['GG_INVENTORY', 'maybe'],
  ])('rejects %s=%s at load, naming the setting', (name, value) => {
    expect(() => loadConfig({ ...env, [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ ...env, [name]: value })).toThrow(`Invalid setting ${name}`);
  });
});

describe('resolveDiffPolicy', () => {
  const defaults = loadConfig({ ...env, GG_DIFF_BOOT_REGRESSION_PERCENT: '30' }).inventory.diff;

  it('lets definition tags override gallery tags and settings', () => {
    const { policy, problems } = resolveDiffPolicy(
      { 'gg-diff-boot-regression-percent': '80', 'gg-diff-must-have-services': 'ssh,walinuxagent' },
      { 'gg-diff-boot-regression-percent': '10', 'gg-diff-new-port': 'fail' },
      defaults,
    );
    expect(problems).toEqual([]);
    expect(policy).toMatchObject({
      bootRegressionPercent: 80,
      mustHaveServices: ['ssh', 'walinuxagent'],
      newPort: 'fail',
    });
  });

  it('reports a bad tag and keeps the setting: a typo never fails an image', () => {
    const { policy, problems } = resolveDiffPolicy({ 'gg-diff-warn-only': 'boot-tme' }, undefined, defaults);
    expect(policy.warnOnly).toEqual([]);
    expect(problems).toEqual([
      'tag gg-diff-warn-only: "boot-tme" is not one of boot-time, must-have-package, must-have-service, new-port; using the setting',
    ]);
  });
});
