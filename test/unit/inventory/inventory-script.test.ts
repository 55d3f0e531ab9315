import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseInventory } from '../../../shared/inventory/guest-inventory';
import { diffInventories } from '../../../shared/inventory/inventory-diff';
import { linuxCheckScript } from '../../../shared/validation/guest/guest-scripts';
import { canJail } from '../../../local/arm-sim/guest/guest-mode';
import { newIdentity } from '../../../local/arm-sim/guest/guest-identity';
import { GUEST_PROFILES, type GuestProfile } from '../../../local/arm-sim/guest/guest-profile';
import { materialiseLinuxGuestRoot } from '../../../local/arm-sim/guest/linux-guest-root';
import { runShellScript } from '../../../local/arm-sim/guest/run-shell-script';
import { SyntheticLinuxGuest } from '../../../local/arm-sim/guest/synthetic-linux-guest';
import { BASE_PACKAGES } from '../../../local/arm-sim/guest/synthetic-inventory';

/** The real check script in a synthetic guest materialised from `profile`; returns its stdout and stderr. */
async function collect(isolation: 'namespace' | 'host', profile: GuestProfile) {
  const root = mkdtempSync(join(tmpdir(), 'gg-inv-'));
  try {
    const identity = await newIdentity('gg-inv-0a');
    await materialiseLinuxGuestRoot(root, {
      profile,
      identity,
      adminUsername: 'ggvalidator',
      adminSshKeys: [],
    });
    const outcome = await runShellScript({
      launch: new SyntheticLinuxGuest(root, identity.hostName, isolation).launch(0, []),
      script: linuxCheckScript('ggvalidator'),
      timeoutMs: 20_000,
    });
    expect(outcome.exitCode).toBe(0);
    return outcome;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const isolations = canJail() ? (['namespace', 'host'] as const) : (['host'] as const);

describe.each(isolations)('inventory from a synthetic guest (%s)', (isolation) => {
  it('reports the dpkg database, enabled units, non-loopback sockets and cloud-init timings', async () => {
    const { stderr } = await collect(isolation, GUEST_PROFILES.healthyLinux);
    // The inventory line and what came before it fit the 4,096 bytes Azure keeps of stderr.
    expect(Buffer.byteLength(stderr)).toBeLessThan(4096);
    const inv = parseInventory(stderr)!;
    expect(inv.os).toBe('Ubuntu 22.04.4 LTS');
    expect(inv.packages.manager).toBe('dpkg');
    expect(inv.packages.count).toBe(Object.keys(BASE_PACKAGES).length);
    expect(inv.packages.list?.['openssh-server']).toBe('1:8.9p1-3ubuntu0.10');
    expect(inv.packages.digest).toMatch(/^[0-9a-f]{16}$/);
    expect(inv.services).toEqual(expect.arrayContaining(['ssh', 'cron', 'walinuxagent', 'cloud-init']));
    expect(inv.ports).toEqual(['tcp/22', 'udp/68']);
    expect(inv.boot).toEqual({ source: 'cloud-init', seconds: 12.4, cloudInitSeconds: 12.4 });
  });

  it('sees a variant that adds a package, drops a service, opens a port and boots slower', async () => {
    const before = parseInventory((await collect(isolation, GUEST_PROFILES.healthyLinux)).stderr)!;
    const after = parseInventory(
      (
        await collect(isolation, {
          ...GUEST_PROFILES.healthyLinux,
          inventory: {
            addPackages: { nginx: '1.18.0-6ubuntu14.4' },
            disableServices: ['cron'],
            openPorts: ['tcp/8080'],
            bootSeconds: 30,
          },
        })
      ).stderr,
    )!;
    const diff = diffInventories('eastus', after, { version: '1.0.0', inventory: before });
    expect(diff).toMatchObject({
      kind: 'diff',
      packages: {
        known: true,
        added: [{ name: 'nginx', version: '1.18.0-6ubuntu14.4' }],
        removed: [],
        changed: [],
      },
      services: { enabled: [], disabled: ['cron'] },
      ports: { opened: ['tcp/8080'], closed: [] },
      boot: { before: 12.4, after: 30, deltaPercent: 141.9 },
    });
  });
});
