import { scanSerialLog } from '../../../../shared/validation/guest/serial-log-signatures';

describe('scanSerialLog', () => {
  it('finds a kernel panic and quotes the line', () => {
    const log =
      '[    0.1] Booting\n[    2.3] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)\n';
    const matches = scanSerialLog(log);
    expect(matches.map((m) => m.signature)).toEqual(['kernel-panic', 'root-fs-missing']);
    expect(matches[0]?.line).toContain('Kernel panic - not syncing');
  });

  it('finds nothing in a healthy boot', () => {
    expect(
      scanSerialLog('[  OK  ] Reached target Multi-User System.\ncloud-init finished at 12:00\n'),
    ).toEqual([]);
  });
});
