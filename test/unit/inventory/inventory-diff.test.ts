import { gzipSync } from 'node:zlib';
import { changeLines, summariseDiff } from '../../../shared/inventory/changes-summary';
import { evaluateDiffRules } from '../../../shared/inventory/diff-rules';
import { parseInventory, type GuestInventory } from '../../../shared/inventory/guest-inventory';
import { diffInventories } from '../../../shared/inventory/inventory-diff';
import type { DiffPolicy } from '../../../shared/policy/diff-policy';

const inv = (over: Partial<GuestInventory> = {}): GuestInventory => ({
  os: 'Ubuntu 22.04.4 LTS',
  kernel: '6.5.0-1021-azure',
  packages: {
    manager: 'dpkg',
    count: 3,
    digest: '0123456789abcdef',
    list: { bash: '5.1-6ubuntu1.1', cron: '3.0pl1-137ubuntu3', openssl: '3.0.2-0ubuntu1.14' },
  },
  services: ['cron', 'ssh'],
  servicesOmitted: 0,
  ports: ['tcp/22'],
  boot: { source: 'cloud-init', seconds: 10, cloudInitSeconds: 10 },
  ...over,
});

const policy: DiffPolicy = {
  bootRegressionPercent: 50,
  bootMinSeconds: 5,
  mustHavePackages: ['openssh-server'],
  mustHaveServices: ['ssh'],
  newPort: 'warn',
  warnOnly: [],
};

describe('diffInventories', () => {
  it('lists packages added, removed and changed, services, ports, kernel and boot change', () => {
    const now = inv({
      kernel: '6.8.0-1015-azure',
      packages: {
        manager: 'dpkg',
        count: 3,
        digest: 'fedcba9876543210',
        list: { bash: '5.1-6ubuntu1.1', nginx: '1.18.0-6ubuntu14.4', openssl: '3.0.2-0ubuntu1.15' },
      },
      services: ['nginx', 'ssh'],
      ports: ['tcp/22', 'tcp/80'],
      boot: { source: 'cloud-init', seconds: 16 },
    });
    expect(diffInventories('eastus', now, { version: '1.0.0', inventory: inv() })).toEqual({
      kind: 'diff',
      region: 'eastus',
      baselineVersion: '1.0.0',
      packages: {
        known: true,
        added: [{ name: 'nginx', version: '1.18.0-6ubuntu14.4' }],
        removed: [{ name: 'cron', version: '3.0pl1-137ubuntu3' }],
        changed: [{ name: 'openssl', from: '3.0.2-0ubuntu1.14', to: '3.0.2-0ubuntu1.15' }],
      },
      services: { enabled: ['nginx'], disabled: ['cron'] },
      servicesPartial: false,
      ports: { opened: ['tcp/80'], closed: [] },
      kernel: { from: '6.5.0-1021-azure', to: '6.8.0-1015-azure' },
      boot: { source: 'cloud-init', before: 10, after: 16, deltaSeconds: 6, deltaPercent: 60 },
    });
  });

  it('compares only digests and counts when a side sent no list, and never boot figures of different sources', () => {
    const now = inv({
      packages: { manager: 'dpkg', count: 400, digest: 'fedcba9876543210' },
      boot: { source: 'systemd-analyze', seconds: 30 },
    });
    const diff = diffInventories('eastus', now, { version: '1.0.0', inventory: inv() });
    expect(diff).toMatchObject({
      packages: { known: false, countBefore: 3, countAfter: 400, same: false },
      bootUnavailable: 'boot times come from different sources (cloud-init vs systemd-analyze)',
    });
    expect(diff.kind === 'diff' && diff.boot).toBe(undefined);
  });
});

describe('evaluateDiffRules', () => {
  const diffOf = (now: GuestInventory, before = inv()) =>
    diffInventories('eastus', now, { version: '1.0.0', inventory: before });

  it('fails a boot regression over the limit with the baseline figure and version as evidence', () => {
    const now = inv({ boot: { source: 'cloud-init', seconds: 16 } });
    const boot = evaluateDiffRules(diffOf(now), now, policy).find((f) => f.rule === 'boot-time');
    expect(boot).toEqual({
      rule: 'boot-time',
      status: 'Failed',
      region: 'eastus',
      reason: 'boot time regressed 60% (+6 s) against baseline 1.0.0 (latest in eastus), over the 50% limit',
      evidence: 'baseline 1.0.0 (latest in eastus): 10 s; this version: 16 s (cloud-init)',
    });
  });

  it('passes a large percentage that is under the seconds floor (jitter on a fast boot)', () => {
    const before = inv({ boot: { source: 'cloud-init', seconds: 2 } });
    const now = inv({ boot: { source: 'cloud-init', seconds: 4 } });
    const boot = evaluateDiffRules(diffOf(now, before), now, policy).find((f) => f.rule === 'boot-time');
    expect(boot?.status).toBe('Passed');
  });

  it('skips, never fails, what it lacks data for: no baseline, no boot figure', () => {
    const now = inv({ boot: { source: 'none' } });
    expect(
      evaluateDiffRules({ kind: 'no-baseline', region: 'eastus', reason: 'first version' }, now, policy),
    ).toEqual([
      { rule: 'baseline', status: 'Skipped', region: 'eastus', reason: 'no baseline: first version' },
    ]);
    const boot = evaluateDiffRules(diffOf(now), now, policy).find((f) => f.rule === 'boot-time');
    expect(boot).toMatchObject({
      status: 'Skipped',
      reason: 'boot time not compared: this version reported no boot time',
    });
  });

  it('fails a missing must-have package or service, naming what the baseline had', () => {
    const before = inv({
      packages: {
        manager: 'dpkg',
        count: 1,
        digest: '0123456789abcdef',
        list: { 'openssh-server': '1:8.9p1-3ubuntu0.10' },
      },
    });
    const now = inv({ packages: { manager: 'dpkg', count: 0, digest: '', list: {} }, services: ['cron'] });
    const findings = evaluateDiffRules(diffOf(now, before), now, policy);
    expect(findings.find((f) => f.rule === 'must-have-package')).toMatchObject({
      status: 'Failed',
      reason: 'must-have packages missing: openssh-server',
      evidence: 'removed since baseline 1.0.0 (latest in eastus): openssh-server 1:8.9p1-3ubuntu0.10',
    });
    expect(findings.find((f) => f.rule === 'must-have-service')).toMatchObject({
      status: 'Failed',
      reason: 'must-have services not enabled: ssh',
      evidence: 'disabled since baseline 1.0.0 (latest in eastus): ssh',
    });
  });

  it('reports a new listening port as a warning by default, fails it when asked, warn-only rules never fail', () => {
    const now = inv({ ports: ['tcp/22', 'tcp/8080'], boot: { source: 'cloud-init', seconds: 30 } });
    const warned = evaluateDiffRules(diffOf(now), now, {
      ...policy,
      mustHavePackages: [],
      warnOnly: ['boot-time'],
    });
    expect(warned.filter((f) => f.status === 'Failed')).toEqual([]);
    expect(warned.filter((f) => f.warning).map((f) => f.rule)).toEqual(['boot-time', 'new-port']);
    const failing = evaluateDiffRules(diffOf(now), now, { ...policy, newPort: 'fail' });
    expect(failing.find((f) => f.rule === 'new-port')).toMatchObject({
      status: 'Failed',
      reason: 'new listening ports against baseline 1.0.0 (latest in eastus): tcp/8080',
    });
  });
});

describe('summaries', () => {
  it('keeps counts exact and lists the top items in one line a person reads', () => {
    const now = inv({
      packages: {
        manager: 'dpkg',
        count: 3,
        digest: 'x',
        list: { bash: '5.1-6ubuntu1.1', nginx: '1.18.0', openssl: '3.0.2-0ubuntu1.14' },
      },
      services: ['ssh'],
    });
    const line = changeLines({ regions: [summariseDiff(diffOf(now))], warnings: [] });
    expect(line).toEqual([
      'eastus vs 1.0.0: packages +1 -1 ~0 (+nginx 1.18.0, -cron 3.0pl1-137ubuntu3); services -cron; boot 10 s → 10 s (+0%)',
    ]);
  });
  const diffOf = (now: GuestInventory) =>
    diffInventories('eastus', now, { version: '1.0.0', inventory: inv() });
});

describe('parseInventory', () => {
  const line = (o: Record<string, unknown>) => `noise\nGGINV ${JSON.stringify(o)}\n`;
  const list = (text: string) => gzipSync(text).toString('base64');

  it('decodes the gzip+base64 package list and drops one that does not add up to the count', () => {
    const ok = parseInventory(
      line({
        pkgManager: 'dpkg',
        pkgCount: 2,
        pkgDigest: '0123456789abcdef',
        pkgList: list('bash=5.1\ncron=3.0\n'),
      }),
    );
    expect(ok?.packages).toEqual({
      manager: 'dpkg',
      count: 2,
      digest: '0123456789abcdef',
      list: { bash: '5.1', cron: '3.0' },
    });
    const short = parseInventory(
      line({ pkgManager: 'dpkg', pkgCount: 3, pkgDigest: '0123456789abcdef', pkgList: list('bash=5.1\n') }),
    );
    expect(short?.packages.list).toBeUndefined();
  });

  it('ignores junk names and absent figures, and says nothing when no line came', () => {
    const o = parseInventory(
      line({
        services: ['ssh', 'bad name;rm', 7],
        ports: ['tcp/22', 'x/1'],
        bootSeconds: null,
        bootSource: 'cloud-init',
      }),
    );
    expect(o?.services).toEqual(['ssh']);
    expect(o?.ports).toEqual(['tcp/22']);
    expect(o?.boot).toEqual({ source: 'none' });
    expect(parseInventory('no inventory here')).toBeUndefined();
  });
});
