import { createHash } from 'node:crypto';
import { GUEST_SHELL_LIB } from './guest-shell';

/** Image variants a real guest can boot, each derived from the one before with the real tools. */
export const REAL_IMAGES = ['generalized', 'captured', 'broken-cloud-init', 'no-agent'] as const;
export type RealImage = (typeof REAL_IMAGES)[number];

export const DEBIAN_SUITE = 'bookworm';
/** What a Debian cloud image provisioned on Azure needs: cloud-init, the Azure agent, sshd. */
export const DEBIAN_PACKAGES = [
  'cloud-init',
  'waagent',
  'openssh-server',
  'sudo',
  'locales',
  'systemd',
  // debootstrap does not resolve virtual packages: python3-cryptography needs python3-cffi-backend-api-*.
  'python3-cffi-backend',
] as const;

/** The image builder's own key: a public key only (its private half was never kept). */
const BUILDER_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL7qZSJ0rcnAfxZXZm6ObJF7iixNqX4UvuE+I+dM2etz builder@image-build';

/**
 * The layers, lowest first. Each is an overlayfs upper directory over the ones before it:
 *  base        debootstrap --variant=minbase + the packages, the en_US.UTF-8 locale generated (without
 *              it cloud-init's locale module fails: update-locale rejects LANG=en_US.UTF-8).
 *  build-vm    that image first-booted as a build VM (NoCloud seed: instance img-build-01, default
 *              user "builder" with BUILDER_KEY), then an admin's interactive sessions as root and as
 *              builder, which leave ~/.bash_history as bash does on exit. Captured as is = "captured".
 *  generalized what image pipelines run before capture: waagent -deprovision+user -force (host keys,
 *              DHCP leases, hostname, root password), cloud-init clean --logs --machine-id (instance
 *              state, logs, /etc/machine-id), shell history removed. waagent deletes the provisioned
 *              user named in /var/lib/waagent/ovf-env.xml, which cloud-init's Azure datasource writes;
 *              the NoCloud stand-in writes none ("WARNING! Skip delete user."), so userdel -r does it.
 *  broken-cloud-init  generalized + a cloud.cfg.d drop-in whose write_files entry names an owner
 *              that does not exist in the image.
 *  no-agent    generalized with cloud-init and waagent purged by apt-get: nothing provisions.
 */
export const BUILD_SCRIPT = `${GUEST_SHELL_LIB}
set -euo pipefail
base=$1 out=$2 mirror=$3 debs=$4 suite=$5 packages=$6
lib=$out/guest-shell.sh
layer_done() { [ -e "$out/$1.done" ]; }

# layer NAME LOWERS SCRIPT: runs SCRIPT (bash, $root = the guest root) in fresh namespaces over
# LOWERS, keeping what it changed as layer NAME.
layer() {
  local name=$1 lowers=$2 script=$3
  layer_done "$name" && return 0
  echo "== layer $name"
  rm -rf --one-file-system "$out/$name" "$out/$name.work" "$out/$name.root"
  unshare --mount --uts --ipc --net --pid --fork bash -c '
    set -euo pipefail
    source "$1"
    gg_mount_root "$2" "$3" "$3.work" "$3.root"
    root=$3.root out=$5
    eval "$4"
  ' layer "$lib" "$lowers" "$out/$name" "$script" "$out"
  rm -rf --one-file-system "$out/$name.work" "$out/$name.root"
  touch "$out/$name.done"
}

if [ ! -e "$base.done" ]; then
  echo "== layer base: debootstrap $suite ($packages)"
  rm -rf --one-file-system "$base"
  debootstrap --foreign --variant=minbase --cache-dir="$debs" --include="$packages" \\
    "$suite" "$base" "$mirror"
  # Build-time only: dpkg skips fsync (removed again below).
  echo force-unsafe-io > "$base/etc/dpkg/dpkg.cfg.d/gg-build-unsafe-io"
  unshare --mount --fork chroot "$base" /debootstrap/debootstrap --second-stage
  unshare --mount --uts --ipc --net --pid --fork bash -c '
    set -euo pipefail
    source "$1"
    root=$2
    mount --make-rprivate /
    mount -t proc proc "$root/proc"
    echo "en_US.UTF-8 UTF-8" >> "$root/etc/locale.gen"
    gg_chroot "$root" locale-gen
    gg_chroot "$root" update-locale LANG=en_US.UTF-8
    gg_chroot "$root" apt-get clean
  ' base "$lib" "$base"
  rm -f "$base/etc/dpkg/dpkg.cfg.d/gg-build-unsafe-io"
  rm -rf "$base/var/lib/apt/lists/"*
  echo localhost > "$base/etc/hostname"
  touch "$base.done"
fi

mkdir -p "$out/build-seed"
printf 'instance-id: img-build-01\\nlocal-hostname: img-build-01\\n' > "$out/build-seed/meta-data"
printf '#cloud-config\\nsystem_info:\\n  default_user:\\n    name: builder\\nssh_authorized_keys:\\n  - %s\\n' \\
  '${BUILDER_KEY}' > "$out/build-seed/user-data"

layer build-vm "$base" '
  gg_boot "$root" "$out/build-seed" < /dev/null
  printf "%s\\n" "cat /etc/os-release" "dpkg -l cloud-init waagent | tail -n 2" \\
    "echo export APP_ENV=production > /etc/profile.d/app.sh" |
    gg_chroot "$root" env HISTFILE=/root/.bash_history bash -i > /dev/null 2>&1
  printf "%s\\n" "sudo -n true" "ls -la" |
    gg_chroot "$root" su - builder -s /bin/bash -c "bash -i" > /dev/null 2>&1
'
layer generalized "$out/build-vm:$base" '
  gg_chroot "$root" waagent -deprovision+user -force
  gg_chroot "$root" userdel -r builder
  gg_chroot "$root" cloud-init clean --logs --machine-id
  rm -f "$root/root/.bash_history"
'
layer broken-cloud-init "$out/generalized:$out/build-vm:$base" '
  printf "%s\\n" "write_files:" "  - path: /etc/app/app.conf" "    owner: app:app" \\
    "    permissions: \\"0640\\"" "    content: |" "      listen = 0.0.0.0:8080" \\
    > "$root/etc/cloud/cloud.cfg.d/90-app.cfg"
'
layer no-agent "$out/generalized:$out/build-vm:$base" '
  gg_chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q cloud-init waagent
'
touch "$out/ready"
echo "== images ready"
`;

/** Lower directories of each image, top layer first (overlayfs lowerdir order). */
export function imageLayers(baseDir: string, dir: string, image: RealImage): string[] {
  const base = [`${dir}/build-vm`, baseDir];
  switch (image) {
    case 'captured':
      return base;
    case 'generalized':
      return [`${dir}/generalized`, ...base];
    case 'broken-cloud-init':
      return [`${dir}/broken-cloud-init`, `${dir}/generalized`, ...base];
    case 'no-agent':
      return [`${dir}/no-agent`, `${dir}/generalized`, ...base];
  }
}

const hash = (parts: readonly unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);

/**
 * Cache keys: the debootstrap root depends on the suite, mirror, packages and its own steps; the
 * derived layers on that and everything else in the script. A change rebuilds only what it shapes.
 */
export function recipeHashes(mirror: string): { readonly base: string; readonly layers: string } {
  const baseSteps = BUILD_SCRIPT.slice(
    BUILD_SCRIPT.indexOf('if [ ! -e "$base.done" ]'),
    BUILD_SCRIPT.indexOf('mkdir -p "$out/build-seed"'),
  );
  const base = hash([baseSteps, mirror, DEBIAN_SUITE, DEBIAN_PACKAGES]);
  return { base, layers: hash([base, BUILD_SCRIPT]) };
}
