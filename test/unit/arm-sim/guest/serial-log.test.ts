import { GUEST_PROFILES } from '../../../../local/arm-sim/guest/guest-profile';
import { serialLog } from '../../../../local/arm-sim/guest/serial-log';
import type { VmRuntime } from '../../../../local/arm-sim/guest/vm-runtime';

const vm = (profile = GUEST_PROFILES.healthyLinux, osType: 'Linux' | 'Windows' = 'Linux'): VmRuntime => ({
  id: '/vm',
  name: 'vm1',
  location: 'eastus',
  osType,
  osState: 'Generalized',
  hyperVGeneration: 'V2',
  vCPUs: 2,
  profile,
  identity: {
    hostName: 'host-1',
    machineId: 'm',
    machineSid: 'S-1-5-21-1-2-3',
    hostKeys: { ed25519: '', rsa: '', ecdsa: '' },
  },
  createdAtMs: 0,
  booted: false,
  agentReady: false,
  runCommandBusy: false,
  runCommands: 0,
});

describe('serialLog', () => {
  it('grows with boot progress and ends at the login prompt', () => {
    const early = serialLog(vm(), 1);
    const done = serialLog(vm(), 1000);
    expect(early).toContain('Linux version');
    expect(early).not.toContain('login:');
    expect(done).toContain('host-1 login: ');
    expect(done).toContain('Started Azure Linux Agent');
  });

  it('shows the kernel panic, emergency mode, agent failure and cloud-init errors of broken images', () => {
    expect(serialLog(vm(GUEST_PROFILES.kernelPanic), 1000)).toContain(
      'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
    );
    expect(serialLog(vm({ ...GUEST_PROFILES.healthyLinux, boot: 'emergency-mode' }), 1000)).toContain(
      'You are in emergency mode',
    );
    expect(serialLog(vm(GUEST_PROFILES.agentStuck), 1000)).toContain('Failed to start walinuxagent.service');
    expect(
      serialLog(vm({ ...GUEST_PROFILES.healthyLinux, cloudInitErrors: ['bad datasource'] }), 1000),
    ).toContain('bad datasource');
    expect(serialLog(vm(GUEST_PROFILES.healthyWindows, 'Windows'), 1000)).toContain('SAC');
  });
});
