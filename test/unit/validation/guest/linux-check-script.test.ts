import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { guestChecks } from '../../../../shared/validation/guest/guest-checks';
import { parseLinuxReport } from '../../../../shared/validation/guest/guest-report';
import { linuxCheckScript } from '../../../../shared/validation/guest/guest-scripts';
import { canJail } from '../../../../local/arm-sim/guest/guest-mode';
import { runShellScript } from '../../../../local/arm-sim/guest/run-shell-script';
import { SyntheticLinuxGuest } from '../../../../local/arm-sim/guest/synthetic-linux-guest';
import { BROKEN_WRITE_FILES_ERROR } from '../../../../local/arm-sim/guest/guest-profile';

const fixture = (name: string): string =>
  readFileSync(join(__dirname, '../../../fixtures/real-guest', name), 'utf8');

/**
 * Runs the real check script in a synthetic guest holding `files`, as the simulator's fallback does:
 * jailed into the files with namespaces, or on the host with the guest paths mapped.
 */
async function runScript(isolation: 'namespace' | 'host', files: Record<string, string>): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'gg-guest-'));
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    const hostName = (files['etc/hostname'] ?? 'localhost').trim();
    const outcome = await runShellScript({
      launch: new SyntheticLinuxGuest(root, hostName, isolation).launch(0, []),
      script: linuxCheckScript('ggvalidator'),
      timeoutMs: 20_000,
    });
    if (outcome.exitCode !== 0) throw new Error(`check script failed: ${outcome.stderr}`);
    return `Enable succeeded: \n[stdout]\n${outcome.stdout}\n[stderr]\n`;
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
  // As a real first boot leaves them: cloud-init's disable_root entries in root's file, our key.
  'root/.ssh/authorized_keys': fixture('root-authorized_keys'),
  'home/ggvalidator/.ssh/authorized_keys': fixture('ggvalidator-authorized_keys'),
};

const isolations = canJail() ? (['namespace', 'host'] as const) : (['host'] as const);

describe.each(isolations)('Linux check script in a synthetic guest (%s)', (isolation) => {
  it('reports a healthy guest: hashed identity, no leftovers, own admin key ignored', async () => {
    const report = parseLinuxReport(await runScript(isolation, healthy));
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

  it('finds shell history, stray authorized_keys, a baked-in hostname and cloud-init errors', async () => {
    const report = parseLinuxReport(
      await runScript(isolation, {
        ...healthy,
        'etc/hostname': 'ubuntu-golden-build\n',
        'root/.bash_history': 'export TOKEN=hunter2\n',
        'home/builder/.bash_history': 'ls\n',
        'home/builder/.ssh/authorized_keys': 'ssh-rsa AAAA builder\n',
        'root/.ssh/authorized_keys': `${fixture('root-authorized_keys')}ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDforeign builder@laptop\n`,
        'var/lib/cloud/data/result.json': JSON.stringify(
          { v1: { datasource: 'DataSourceNoCloud', errors: [BROKEN_WRITE_FILES_ERROR] } },
          null,
          1,
        ),
      }),
    );
    expect([...report.leftovers].sort()).toEqual([
      'home/builder/.bash_history',
      'home/builder/.ssh/authorized_keys',
      'root/.bash_history',
      'root/.ssh/authorized_keys',
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
    expect(checks[0]?.evidence).toContain(
      "('write-files', OSError('Unknown user or group: getpwnam(): name not found: 'app''))",
    );
    // Evidence names files, never their content.
    expect(JSON.stringify(checks)).not.toContain('hunter2');
  });
});

describe('Linux check script output size', () => {
  it('still yields a parsed report from a guest with 500 leftover files, counting what it did not list', async () => {
    const files: Record<string, string> = { ...healthy };
    for (let i = 0; i < 500; i++) files[`root/.ssh/id_leftover_key_with_a_long_name_${i}`] = 'PRIVATE\n';
    const output = await runScript(isolations[0], files);
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
