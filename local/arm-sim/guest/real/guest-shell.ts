import { scriptEnvironment, type RunCommandParameter } from '../run-shell-script';

/**
 * Bash functions shared by the image build and every real-guest VM boot. They run as root inside
 * fresh mount/UTS/IPC/network/PID namespaces (`unshare`), so every mount below vanishes with the
 * namespace and nothing touches the host's view of the file system.
 *
 * A booted guest is: its image layers read-only under one writable upper directory (overlayfs, so a
 * VM costs no copy), /proc of its own PID namespace, a read-only /sys, a private /dev holding only
 * the usual character devices, an empty /run (tmpfs, as systemd mounts it), and its NoCloud seed
 * bind-mounted read-only where cloud-init looks for one (/var/lib/cloud/seed/nocloud, see
 * https://github.com/canonical/cloud-init/blob/22.3.4/doc/rtd/topics/datasources/nocloud.rst).
 * There is no kernel boot and no systemd as PID 1: "boot" is what systemd would run on a first boot
 * that matters to provisioning, done by hand — the hostname from /etc/hostname, a machine-id from
 * systemd-machine-id-setup when the image has none, then cloud-init's four stages in order.
 */
export const GUEST_SHELL_LIB = `
GG_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Runs a command inside the guest root with the environment a systemd service gets.
gg_chroot() {
  local root=$1
  shift
  chroot "$root" /usr/bin/env -i PATH="$GG_PATH" HOME=/root TERM=linux "$@"
}

# gg_mount_root LOWERS UPPER WORK ROOT: the guest's file systems, mounted at ROOT.
gg_mount_root() {
  local lowers=$1 upper=$2 work=$3 root=$4 d
  mkdir -p "$upper" "$work" "$root"
  mount --make-rprivate /
  mount -t overlay overlay -o "lowerdir=$lowers,upperdir=$upper,workdir=$work" "$root" || return 1
  mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
  mount -t tmpfs -o nosuid,mode=0755,size=8m tmpfs "$root/dev"
  for d in null zero full random urandom tty; do
    : > "$root/dev/$d"
    mount --bind "/dev/$d" "$root/dev/$d"
  done
  mkdir -p "$root/dev/pts" "$root/dev/shm"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
  ln -s pts/ptmx "$root/dev/ptmx"
  ln -s /proc/self/fd "$root/dev/fd"
  ln -s /proc/self/fd/0 "$root/dev/stdin"
  ln -s /proc/self/fd/1 "$root/dev/stdout"
  ln -s /proc/self/fd/2 "$root/dev/stderr"
  mount -t tmpfs -o nosuid,nodev,mode=0755 tmpfs "$root/run"
  mkdir -p "$root/run/lock"
}

# gg_boot ROOT SEED: a first boot as far as provisioning goes. Output is the guest's console.
gg_boot() {
  local root=$1 seed=$2 name stage
  mkdir -p "$root/var/lib/cloud/seed/nocloud"
  mount --bind "$seed" "$root/var/lib/cloud/seed/nocloud"
  mount -o remount,bind,ro "$root/var/lib/cloud/seed/nocloud"
  name=$(head -n1 "$root/etc/hostname" 2>/dev/null)
  hostname "\${name:-localhost}"
  # systemd generates a machine-id on a first boot when /etc/machine-id is missing, empty or
  # "uninitialized"; systemd-machine-id-setup is the same code (random in a chroot, as on Hyper-V).
  if [ -x "$root/usr/bin/systemd-machine-id-setup" ]; then
    gg_chroot "$root" systemd-machine-id-setup
  fi
  if [ -x "$root/usr/bin/cloud-init" ]; then
    for stage in 'init --local' 'init' 'modules --mode=config' 'modules --mode=final'; do
      # shellcheck disable=SC2086 # the stage is two words
      gg_chroot "$root" timeout 300 /usr/bin/cloud-init $stage
    done
  fi
}

gg_fact() { printf 'GG-FACT %s %s\\n' "$1" "$(base64 -w0)"; }

# gg_facts ROOT: what the simulator reads back after a boot, one base64 line each.
gg_facts() {
  local root=$1
  hostname | gg_fact hostname
  cat "$root/etc/machine-id" 2>/dev/null | gg_fact machine-id
  cat "$root/etc/os-release" 2>/dev/null | gg_fact os-release
  cat "$root/var/lib/cloud/data/status.json" 2>/dev/null | gg_fact cloud-init-status
  # The unit link's target is absolute inside the guest: test the link, not what it points to.
  if [ -x "$root/usr/sbin/waagent" ] &&
    [ -L "$root/etc/systemd/system/multi-user.target.wants/walinuxagent.service" ]; then
    gg_chroot "$root" dpkg-query -W -f='\${Version}' waagent 2>/dev/null | gg_fact waagent-version
  fi
}
`;

/**
 * PID 1 of a real-guest VM: mounts its root, boots it (console → VMDIR/console.log), reports
 * GG-RUNNING, the facts and GG-BOOTED on stdout, then holds the namespaces until its stdin closes
 * (the VM is deleted, or the simulator went away), taking every process inside with it.
 * Arguments: LOWERS VMDIR.
 */
export const GUEST_INIT = `${GUEST_SHELL_LIB}
set -u
lowers=$1 vm=$2
root=$vm/root
if ! gg_mount_root "$lowers" "$vm/upper" "$vm/work" "$root" > "$vm/console.log" 2>&1; then
  echo "GG-FAILED could not mount the guest root: $(tail -n 3 "$vm/console.log" | tr '\\n' ' ')"
  exit 1
fi
echo GG-RUNNING
gg_boot "$root" "$vm/seed" < /dev/null >> "$vm/console.log" 2>&1
gg_facts "$root" < /dev/null
echo GG-BOOTED
read -r _ || true
`;

/**
 * Runs a Run Command script inside a guest as the Linux Run Command handler does: the script is saved
 * under /var/lib/waagent/run-command/download/<n>/script.sh and run there as root with bash, stdin
 * empty. Arguments: N, then the parameter values; the script arrives on stdin (run bash with --norc:
 * Node's stdio is a socket, which would make bash read ~/.bashrc as if started by sshd).
 */
export const RUN_COMMAND_WRAPPER = `d=/var/lib/waagent/run-command/download/$1
shift
mkdir -p "$d" && cat > "$d/script.sh" && cd "$d" && exec /bin/bash "$d/script.sh" "$@" < /dev/null`;

/**
 * The command line that runs script number `seq` inside a guest's root (after chroot or the jail): a
 * clean environment as the handler sets it, then RUN_COMMAND_WRAPPER with the parameter values.
 */
export function inGuestRunCommand(seq: number, parameters: readonly RunCommandParameter[]): string[] {
  return [
    '/usr/bin/env',
    '-i',
    ...scriptEnvironment(parameters),
    '/bin/bash',
    '--norc',
    '-c',
    RUN_COMMAND_WRAPPER,
    'run-command',
    String(seq),
    ...parameters.map((p) => p.value ?? ''),
  ];
}
