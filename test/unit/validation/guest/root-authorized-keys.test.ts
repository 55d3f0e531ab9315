import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT_KEY_LEFTOVERS_FUNCTION } from '../../../../shared/validation/guest/guest-scripts';

const fixture = (name: string): string =>
  readFileSync(join(__dirname, '../../../fixtures/real-guest', name), 'utf8');
const REAL_ROOT_KEYS = fixture('root-authorized_keys');
const REAL_ADMIN_KEYS = fixture('ggvalidator-authorized_keys');
const FOREIGN = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDfOreignKeyOfTheImageBuilder builder@laptop';

/** Runs the check script's own classifier (the bash function it embeds) on two authorized_keys files. */
function leftovers(rootKeys: string, adminKeys: string): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'gg-keys-'));
  try {
    writeFileSync(join(dir, 'root'), rootKeys);
    writeFileSync(join(dir, 'admin'), adminKeys);
    const out = execFileSync('bash', [
      '-c',
      `${ROOT_KEY_LEFTOVERS_FUNCTION}\ngg_root_key_leftovers "$1" "$2"`,
      'test',
      join(dir, 'root'),
      join(dir, 'admin'),
    ]);
    return out
      .toString()
      .split('\n')
      .filter((l) => l.length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("root's authorized_keys after a real cloud-init first boot", () => {
  it("does not count cloud-init's disable_root entries (copied from a real first boot)", () => {
    expect(REAL_ROOT_KEYS).toContain(
      `command="echo 'Please login as the user \\"ggvalidator\\" rather than the user \\"root\\".';echo;sleep 10;exit 142"`,
    );
    expect(leftovers(REAL_ROOT_KEYS, REAL_ADMIN_KEYS)).toEqual([]);
  });

  it('does not count the entry older cloud-init releases write (no exit 142)', () => {
    const older = REAL_ROOT_KEYS.replace(/;exit 142"/g, '"');
    expect(leftovers(older, REAL_ADMIN_KEYS)).toEqual([]);
  });

  it('does not count the admin key gallery-guard injected, written as is (disable_root: false)', () => {
    expect(leftovers(REAL_ADMIN_KEYS, REAL_ADMIN_KEYS)).toEqual([]);
  });

  it('counts a foreign key, next to the cloud-init entries or alone', () => {
    expect(leftovers(`${REAL_ROOT_KEYS}${FOREIGN}\n`, REAL_ADMIN_KEYS)).toHaveLength(1);
    expect(leftovers(`${FOREIGN}\n`, REAL_ADMIN_KEYS)).toHaveLength(1);
    // A forced command that is not cloud-init's is still a way in.
    expect(leftovers(`command="/usr/local/bin/backup" ${FOREIGN}\n`, REAL_ADMIN_KEYS)).toHaveLength(1);
  });

  it('counts our key comment on a key the admin user was not given', () => {
    const impostor =
      'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINotTheKeyGalleryGuardInjected gallery-guard-validation';
    expect(leftovers(`${impostor}\n`, REAL_ADMIN_KEYS)).toHaveLength(1);
  });

  it('finds nothing in an absent or empty file', () => {
    expect(leftovers('', REAL_ADMIN_KEYS)).toEqual([]);
  });
});
