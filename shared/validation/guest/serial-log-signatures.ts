import { excerpt } from '../../verdict/excerpt';
/**
 * Known failure signatures in a VM's serial console log (boot diagnostics). Each one is a fault of
 * the image (kernel, initramfs, fstab, provisioning agent), so a match fails the version.
 */
export interface SerialLogSignature {
  readonly name: string;
  readonly pattern: RegExp;
  readonly meaning: string;
}

export const SERIAL_LOG_SIGNATURES: readonly SerialLogSignature[] = [
  {
    name: 'kernel-panic',
    pattern: /Kernel panic - not syncing/i,
    meaning: 'the kernel panicked during boot',
  },
  {
    name: 'root-fs-missing',
    pattern: /VFS: Unable to mount root fs|Cannot open root device|ALERT! .* does not exist/i,
    meaning: 'the root file system could not be mounted',
  },
  {
    name: 'emergency-mode',
    pattern: /You are in emergency mode|Entering emergency mode|Give root password for maintenance/i,
    meaning: 'systemd dropped to emergency mode (often a bad /etc/fstab entry)',
  },
  {
    name: 'dracut-timeout',
    pattern: /dracut-initqueue.*timeout|Could not boot\./i,
    meaning: 'initramfs could not find the root disk',
  },
  {
    name: 'grub-rescue',
    pattern: /grub rescue>|error: no such partition/i,
    meaning: 'the boot loader could not find its partition',
  },
  {
    name: 'windows-stop-error',
    pattern: /INACCESSIBLE_BOOT_DEVICE|CRITICAL_PROCESS_DIED|Stop code|BugCheck/i,
    meaning: 'Windows stopped with a bug check during boot',
  },
  {
    name: 'cloud-init-failed',
    pattern: /cloud-init.*(?:FAIL|Traceback)|Failed to start .*cloud-init/i,
    meaning: 'cloud-init failed during provisioning',
  },
];

export interface SerialLogMatch {
  readonly signature: string;
  readonly meaning: string;
  /** The matching line, trimmed and capped, as evidence. */
  readonly line: string;
}

export function scanSerialLog(log: string, signatures = SERIAL_LOG_SIGNATURES): SerialLogMatch[] {
  const matches: SerialLogMatch[] = [];
  const lines = log.split(/\r?\n/);
  for (const signature of signatures) {
    const line = lines.find((l) => signature.pattern.test(l));
    if (line !== undefined) {
      matches.push({
        signature: signature.name,
        meaning: signature.meaning,
        line: excerpt(line, 300),
      });
    }
  }
  return matches;
}
