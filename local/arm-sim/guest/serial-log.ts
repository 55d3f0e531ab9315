import type { VmRuntime } from './vm-runtime';

interface Line {
  /** Fraction of the profile's boot duration at which the line appears. */
  readonly at: number;
  readonly text: string;
}

const kernel = (seconds: number, text: string): string => `[${seconds.toFixed(6).padStart(12)}] ${text}`;

function linuxLines(vm: VmRuntime): Line[] {
  const host = vm.identity.hostName;
  const early: Line[] = [
    { at: 0, text: kernel(0, 'Linux version 5.15.0-1057-azure (buildd@lcy02-amd64-033) #65-Ubuntu SMP') },
    {
      at: 0,
      text: kernel(
        0,
        'Command line: BOOT_IMAGE=/boot/vmlinuz-5.15.0-1057-azure root=PARTUUID=5d1f0a6c-01 ro console=tty1 console=ttyS0 earlyprintk=ttyS0',
      ),
    },
    { at: 0.05, text: kernel(0.41, 'Hyper-V: privilege flags low 0x2e7f, high 0x3b8030, hints 0x64e24') },
    { at: 0.1, text: kernel(1.02, 'hv_vmbus: registering driver hv_storvsc') },
    {
      at: 0.15,
      text: kernel(1.73, 'scsi 0:0:0:0: Direct-Access     Msft     Virtual Disk     1.0  PQ: 0 ANSI: 5'),
    },
  ];
  if (vm.profile.boot === 'kernel-panic') {
    return [
      ...early,
      {
        at: 0.3,
        text: kernel(
          2.1,
          'VFS: Cannot open root device "PARTUUID=5d1f0a6c-01" or unknown-block(0,0): error -6',
        ),
      },
      {
        at: 0.3,
        text: kernel(2.1, 'Please append a correct "root=" boot option; here are the available partitions:'),
      },
      {
        at: 0.35,
        text: kernel(2.11, 'Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)'),
      },
      {
        at: 0.35,
        text: kernel(2.11, 'CPU: 0 PID: 1 Comm: swapper/0 Not tainted 5.15.0-1057-azure #65-Ubuntu'),
      },
      {
        at: 0.36,
        text: kernel(
          2.12,
          '---[ end Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0) ]---',
        ),
      },
    ];
  }
  if (vm.profile.boot === 'emergency-mode') {
    return [
      ...early,
      { at: 0.5, text: '[FAILED] Failed to mount /datadrive.' },
      { at: 0.5, text: '[DEPEND] Dependency failed for Local File Systems.' },
      { at: 0.6, text: 'You are in emergency mode. After logging in, type "journalctl -xb" to view' },
      { at: 0.6, text: 'system logs, "systemctl reboot" to reboot, "systemctl default" or "exit"' },
      { at: 0.6, text: 'to boot into default mode.' },
      { at: 0.6, text: 'Press Enter for maintenance' },
    ];
  }
  const lines: Line[] = [
    ...early,
    {
      at: 0.3,
      text: kernel(
        3.5,
        'EXT4-fs (sda1): mounted filesystem with ordered data mode. Opts: (null). Quota mode: none.',
      ),
    },
    { at: 0.4, text: '[  OK  ] Started Journal Service.' },
    {
      at: 0.5,
      text: `cloud-init[612]: Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running 'init' at ${new Date().toUTCString()}. Up 8.21 seconds.`,
    },
  ];
  for (const error of vm.profile.cloudInitErrors) {
    lines.push({ at: 0.6, text: `cloud-init[612]: 2024-01-01 00:00:09,000 - util.py[WARNING]: ${error}` });
  }
  lines.push(
    vm.profile.agentReady
      ? { at: 0.8, text: '[  OK  ] Started Azure Linux Agent.' }
      : { at: 0.8, text: '[FAILED] Failed to start walinuxagent.service - Azure Linux Agent.' },
    { at: 0.9, text: '[  OK  ] Reached target Cloud-init target.' },
    { at: 1, text: '' },
    { at: 1, text: `Ubuntu 22.04.4 LTS ${host} ttyS0` },
    { at: 1, text: '' },
    { at: 1, text: `${host} login: ` },
  );
  return lines;
}

function windowsLines(vm: VmRuntime): Line[] {
  return [
    { at: 0.2, text: 'Computer is booting, SAC started and initialized.' },
    { at: 0.2, text: 'Use the "ch -?" command for information about using channels.' },
    { at: 0.2, text: 'Use the "?" command for general help.' },
    { at: 1, text: 'SAC>' },
    { at: 1, text: `EVENT: The CMD command is now available. Computer name: ${vm.identity.hostName}` },
  ];
}

/**
 * The serial console log as far as the VM has booted at `elapsedSeconds` after create. A real guest's
 * is what its boot printed (machine-id setup and cloud-init's own output), with a console's CRLFs;
 * there is no kernel or systemd in it, as there is no kernel boot.
 */
export function serialLog(vm: VmRuntime, elapsedSeconds: number): string {
  if (vm.realImage !== undefined) return (vm.linux?.consoleLog() ?? '').replace(/\r?\n/g, '\r\n');
  const lines = vm.osType === 'Linux' ? linuxLines(vm) : windowsLines(vm);
  const progress = vm.profile.bootSeconds === 0 ? 1 : elapsedSeconds / vm.profile.bootSeconds;
  return lines
    .filter((l) => l.at <= progress)
    .map((l) => `${l.text}\r\n`)
    .join('');
}
