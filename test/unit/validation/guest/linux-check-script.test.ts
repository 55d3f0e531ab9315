import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { guestChecks } from '../../../../shared/validation/guest/guest-checks';
import { parseLinuxReport } from '../../../../shared/validation/guest/guest-report';
import { linuxCheckScript } from '../../../../shared/validation/guest/guest-scripts';

/** Runs the real check script with bash against a fake guest root, as the simulator does. */
function runScript(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'gg-guest-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    const stdout = execFileSync('bash', ['-c', linuxCheckScript('ggvalidator')], {
      env: { PATH: process.env.PATH, GG_GUEST_ROOT: root },
    }).toString();
    return `Enable succeeded: \n[stdout]\n${stdout}\n[stderr]\n`;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const healthy = {
  'etc/hostname': 'gg-1234abcd-0a\n',
  'etc/machine-id': 'f00dfeed\n',
  'etc/ssh/ssh_host_ed25519_key.pub': 'ssh-ed25519 AAAA host\n',
  'etc/ssh/ssh_host_rsa_key.pub': 'ssh-rsa AAAA host\n',
  'etc/waagent.conf': 'Provisioning.RegenerateSshHostKeyPair=y\n',
  'var/lib/cloud/data/result.json': '{"v1": {"datasource": "DataSourceAzure", "errors": []}}',
  'var/lib/waagent/provisioned': '',
  'home/ggvalidator/.ssh/authorized_keys': 'ssh-ed25519 AAAA gallery-guard-validation\n',
};

describe('Linux check script', () => {
  it('reports a healthy guest: hashed identity, no leftovers, own admin key ignored', () => {
    const report = parseLinuxReport(runScript(healthy));
    expect(report.hostname).toBe('gg-1234abcd-0a');
    expect(report.machineIdentity).toMatch(/^[0-9a-f]{16}$/);
    expect(Object.keys(report.hostKeys).sort()).toEqual(['ed25519', 'rsa']);
    expect(report.cloudInit).toBe('ok');
    expect(report.leftovers).toEqual([]);
    const checks = guestChecks(report, {
      osState: 'Generalized',
      computerName: 'gg-1234abcd-0a',
      region: 'eastus',
      vmName: 'gg-1234abcd-0a',
    });
    expect(checks.map((c) => [c.name, c.status])).toEqual([
      ['provisioning-agent', 'Passed'],
      ['hostname', 'Passed'],
      ['leftover-secrets', 'Passed'],
    ]);
  });

  it('finds shell history, stray authorized_keys, a baked-in hostname and cloud-init errors', () => {
    const report = parseLinuxReport(
      runScript({
        ...healthy,
        'etc/hostname': 'ubuntu-golden-build\n',
        'root/.bash_history': 'export TOKEN=hunter2\n',
        'home/builder/.bash_history': 'ls\n',
        'home/builder/.ssh/authorized_keys': 'ssh-rsa AAAA builder\n',
        'var/lib/cloud/data/result.json': '{"v1": {"errors": ["init failed"]}}',
      }),
    );
    expect([...report.leftovers].sort()).toEqual([
      'home/builder/.bash_history',
      'home/builder/.ssh/authorized_keys',
      'root/.bash_history',
    ]);
    const checks = guestChecks(report, {
      osState: 'Generalized',
      computerName: 'gg-1',
      region: 'eastus',
      vmName: 'gg-1',
    });
    expect(checks.filter((c) => c.status === 'Failed').map((c) => c.name)).toEqual([
      'provisioning-agent',
      'hostname',
      'leftover-secrets',
    ]);
    // Evidence names files, never their content.
    expect(JSON.stringify(checks)).not.toContain('hunter2');
  });
});

describe('Linux check script output size', () => {
  it('still yields a parsed report from a guest with 500 leftover files, counting what it did not list', () => {
    const files: Record<string, string> = { ...healthy };
    for (let i = 0; i < 500; i++) files[`root/.ssh/id_leftover_key_with_a_long_name_${i}`] = 'PRIVATE\n';
    const output = runScript(files);
    const stdout = output.slice(output.indexOf('[stdout]\n') + 9, output.indexOf('\n[stderr]'));
    // Azure keeps the last 4,096 bytes of stdout: the whole report line must fit in them.
    expect(Buffer.byteLength(stdout)).toBeLessThan(4096);
    const tail = Buffer.from(stdout).subarray(-4096).toString();
    const report = parseLinuxReport(`Enable succeeded: \n[stdout]\n${tail}\n[stderr]\n`);
    expect(report.leftovers.length).toBeGreaterThan(10);
    expect(report.leftovers.length + (report.leftoversOmitted ?? 0)).toBe(500);
    const [leftover] = guestChecks(report, {
      osState: 'Generalized',
      computerName: 'gg-1234abcd-0a',
      region: 'eastus',
      vmName: 'gg-1',
    }).filter((c) => c.name === 'leftover-secrets');
    expect(leftover).toMatchObject({
      status: 'Failed',
      reason: expect.stringContaining('500 files') as unknown,
    });
    expect(leftover?.evidence).toMatch(/and 490 more, \d+ not listed by the guest/);
  });
});
