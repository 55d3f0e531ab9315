import { guestModeSetting } from '../../../../local/arm-sim/guest/guest-mode';
import type { DebianImages } from '../../../../local/arm-sim/guest/real/debian-image-cache';
import { resolveGuests, type GuestProbes } from '../../../../local/arm-sim/guest/resolve-guests';

const images: DebianImages = {
  baseDir: '/cache/base',
  dir: '/cache/images',
  layers: () => ['/cache/images/x'],
};
const probes = (over: Partial<GuestProbes>): GuestProbes => ({
  obstacle: () => undefined,
  images: () => Promise.resolve(images),
  canJail: () => true,
  ...over,
});

describe('resolveGuests', () => {
  it('boots real guests where the machine can', async () => {
    const notices: string[] = [];
    await expect(resolveGuests('auto', (m) => notices.push(m), probes({}))).resolves.toEqual({
      mode: 'real',
      isolation: 'namespace',
      images,
    });
  });

  it('falls back to synthetic guests in auto, saying why once per process', async () => {
    const notices: string[] = [];
    const notRoot = probes({
      obstacle: () => 'not running as root (namespaces, overlayfs and chroot need it)',
    });
    const first = await resolveGuests('auto', (m) => notices.push(m), notRoot);
    await resolveGuests('auto', (m) => notices.push(m), notRoot);
    expect(first).toEqual({
      mode: 'synthetic',
      reason: expect.stringContaining('not running as root') as unknown,
      isolation: 'namespace',
    });
    expect(notices).toEqual([expect.stringMatching(/^real Linux guests unavailable: not running as root/)]);
  });

  it('falls back when the image build fails (no network to the mirror), and runs scripts on the host without namespaces', async () => {
    const notices: string[] = [];
    const offline = probes({
      images: () => Promise.reject(new Error('the real-guest image build failed (exit 1)')),
      canJail: () => false,
    });
    await expect(resolveGuests('auto', (m) => notices.push(m), offline)).resolves.toMatchObject({
      mode: 'synthetic',
      isolation: 'host',
      reason: expect.stringContaining('image build failed') as unknown,
    });
    expect(notices[0]).toContain('run on the host');
  });

  it("fails loudly when real guests are asked for and cannot run, and never builds for 'synthetic'", async () => {
    await expect(
      resolveGuests('real', () => undefined, probes({ obstacle: () => 'debootstrap not installed' })),
    ).rejects.toThrow(/asked for, but debootstrap not installed/);
    const build = jest.fn(() => Promise.resolve(images));
    await expect(
      resolveGuests('synthetic', () => undefined, probes({ images: build })),
    ).resolves.toMatchObject({ mode: 'synthetic' });
    expect(build).not.toHaveBeenCalled();
  });

  it('reads GG_SIM_GUESTS', () => {
    expect(guestModeSetting({})).toBe('auto');
    expect(guestModeSetting({ GG_SIM_GUESTS: ' Real ' })).toBe('real');
    expect(() => guestModeSetting({ GG_SIM_GUESTS: 'yes' })).toThrow(
      /GG_SIM_GUESTS must be auto, real or synthetic/,
    );
  });
});
