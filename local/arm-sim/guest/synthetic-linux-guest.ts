import { rm } from 'node:fs/promises';
import type { LinuxGuest } from './linux-guest';
import { inGuestRunCommand } from './real/guest-shell';
import { scriptEnvironment, type RunCommandParameter, type ScriptLaunch } from './run-shell-script';

/**
 * Jails a script into a synthetic guest root: fresh mount/UTS/IPC/PID namespaces (a user namespace
 * too when not root), the host's programs bind-mounted read-only (/usr and the /bin, /lib... it
 * has), the guest's own files everywhere else, hostname = the guest's. Arguments: ROOT HOSTNAME CMD...
 */
const JAIL = `set -eu
root=$1 name=$2
shift 2
mount --make-rprivate /
for d in usr bin sbin lib lib32 lib64 libx32; do
  if [ -L "/$d" ]; then
    [ -e "$root/$d" ] || [ -L "$root/$d" ] || ln -s "$(readlink "/$d")" "$root/$d"
  elif [ -d "/$d" ]; then
    mkdir -p "$root/$d"
    mount --rbind "/$d" "$root/$d"
    mount -o remount,bind,ro "$root/$d"
  fi
done
mkdir -p "$root/proc" "$root/dev" "$root/tmp"
mount -t proc proc "$root/proc"
mount -t tmpfs -o mode=0755 tmpfs "$root/dev"
for d in null zero full random urandom; do : > "$root/dev/$d"; mount --bind "/dev/$d" "$root/dev/$d"; done
# The guest's modelled sockets answer for ss (nothing listens in a synthetic guest).
if [ -x "$root/.gg-model/ss" ] && [ -e "$root/usr/bin/ss" ]; then mount --bind "$root/.gg-model/ss" "$root/usr/bin/ss"; fi
hostname "$name"
exec chroot "$root" "$@"`;

/**
 * Without namespaces (not Linux, or user namespaces disabled) a script runs on the host: cwd and HOME
 * in the guest root, \`hostname\` answering the guest's name, and absolute /etc, /var, /root and /home
 * paths in the script rewritten into the guest root (and the root mapped back out of its stdout). A
 * model of a guest, not one: anything else the script reads is the host's. Arguments: ROOT HOSTNAME N
 * VALUES...
 */
const ON_HOST = `set -eu
root=$1 name=$2 n=$3
shift 3
d=$root/var/lib/waagent/run-command/download/$n
mkdir -p "$d" "$root/.gg-bin"
printf '#!/bin/sh\\necho %s\\n' "$name" > "$root/.gg-bin/hostname"
chmod +x "$root/.gg-bin/hostname"
[ -x "$root/.gg-model/ss" ] && cp "$root/.gg-model/ss" "$root/.gg-bin/ss"
printf '#!/bin/sh\\necho "System has not been booted with systemd as init system (PID 1). Can'"'"'t operate." >&2\\nexit 1\\n' > "$root/.gg-bin/systemd-analyze"
chmod +x "$root/.gg-bin/systemd-analyze"
sed -E "s#(^|[[:space:]\\"'=(<>:])/(etc|var|root|home)(/|[[:space:]\\"']|$)#\\1$root/\\2\\3#g" > "$d/script.sh"
cd "$d"
set -o pipefail
rel=\${root#/}
PATH="$root/.gg-bin:$PATH" HOME="$root/root" /bin/bash "$d/script.sh" "$@" < /dev/null | sed -u "s#$root/#/#g; s#$rel/##g"`;

export class SyntheticLinuxGuest implements LinuxGuest {
  readonly kind = 'synthetic';

  constructor(
    readonly diskDir: string,
    private readonly hostName: string,
    private readonly isolation: 'namespace' | 'host',
  ) {}

  launch(seq: number, parameters: readonly RunCommandParameter[]): ScriptLaunch {
    const values = parameters.map((p) => p.value ?? '');
    if (this.isolation === 'host') {
      const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
      for (const pair of scriptEnvironment(parameters).slice(3)) {
        const at = pair.indexOf('=');
        env[pair.slice(0, at)] = pair.slice(at + 1);
      }
      return {
        command: 'bash',
        args: ['--norc', '-c', ON_HOST, 'run-command', this.diskDir, this.hostName, String(seq), ...values],
        env,
      };
    }
    const userns = process.getuid?.() === 0 ? [] : ['--user', '--map-root-user'];
    return {
      command: 'unshare',
      args: [
        ...userns,
        '--mount',
        '--uts',
        '--ipc',
        '--pid',
        '--fork',
        'bash',
        '--norc',
        '-c',
        JAIL,
        'jail',
        this.diskDir,
        this.hostName,
        ...inGuestRunCommand(seq, parameters),
      ],
    };
  }

  consoleLog(): undefined {
    return undefined;
  }

  async dispose(): Promise<void> {
    await rm(this.diskDir, { recursive: true, force: true });
  }
}
