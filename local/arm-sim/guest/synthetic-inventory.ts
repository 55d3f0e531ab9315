/**
 * What a synthetic Linux guest is made of: an Ubuntu 22.04 Azure image's packages (names and jammy
 * versions as its dpkg database lists them), enabled services, listening sockets and cloud-init's
 * stage timings. A profile's `inventory` variant changes it, so tests can produce real diffs.
 */
export interface InventoryVariant {
  /** name → version added (or, for a package already there, upgraded to). */
  readonly addPackages?: Readonly<Record<string, string>>;
  readonly removePackages?: readonly string[];
  readonly enableServices?: readonly string[];
  readonly disableServices?: readonly string[];
  /** "tcp/8080", "udp/123": listening on all addresses. */
  readonly openPorts?: readonly string[];
  /** cloud-init's span from init-local start to modules-final finished. */
  readonly bootSeconds?: number;
}

export const BASE_PACKAGES: Readonly<Record<string, string>> = {
  adduser: '3.118ubuntu5',
  apparmor: '3.0.4-2ubuntu2.3',
  apt: '2.4.12',
  'apt-utils': '2.4.12',
  'base-files': '12ubuntu4.6',
  'base-passwd': '3.5.52build1',
  bash: '5.1-6ubuntu1.1',
  'bash-completion': '1:2.11-5ubuntu1',
  bsdutils: '1:2.37.2-4ubuntu3.4',
  'ca-certificates': '20230311ubuntu0.22.04.1',
  chrony: '4.2-2ubuntu2',
  'cloud-guest-utils': '0.32-22-g45fe84a5-0ubuntu1',
  'cloud-init': '24.1.3-0ubuntu1~22.04.1',
  'cloud-initramfs-copymods': '0.47ubuntu1',
  coreutils: '8.32-4.1ubuntu1.2',
  cron: '3.0pl1-137ubuntu3',
  curl: '7.81.0-1ubuntu1.16',
  dash: '0.5.11+git20210903+057cd650a4ed-3build1',
  dbus: '1.12.20-2ubuntu4.1',
  debconf: '1.5.79ubuntu1',
  debianutils: '5.5-1ubuntu2',
  diffutils: '1:3.8-0ubuntu2',
  dpkg: '1.21.1ubuntu2.3',
  e2fsprogs: '1.46.5-2ubuntu1.1',
  ethtool: '1:5.16-1ubuntu0.1',
  findutils: '4.8.0-1ubuntu3',
  gdisk: '1.0.8-4build1',
  gpgv: '2.2.27-3ubuntu2.1',
  grep: '3.7-1build1',
  'grub-efi-amd64-signed': '1.187.6+2.06-2ubuntu14.4',
  gzip: '1.10-4ubuntu4.1',
  hostname: '3.23ubuntu2',
  'init-system-helpers': '1.62',
  iproute2: '5.15.0-1ubuntu2',
  iptables: '1.8.7-1ubuntu5.2',
  'iputils-ping': '3:20211215-1',
  'isc-dhcp-client': '4.4.1-2.3ubuntu2.4',
  kmod: '29-1ubuntu1',
  less: '590-1ubuntu0.22.04.2',
  'libc-bin': '2.35-0ubuntu3.7',
  libc6: '2.35-0ubuntu3.7',
  'libpam-modules': '1.4.0-11ubuntu2.4',
  'libpam-systemd': '249.11-0ubuntu3.12',
  libssl3: '3.0.2-0ubuntu1.15',
  libsystemd0: '249.11-0ubuntu3.12',
  'linux-azure': '6.5.0.1021.21~22.04.1',
  'linux-image-6.5.0-1021-azure': '6.5.0-1021.22~22.04.1',
  locales: '2.35-0ubuntu3.7',
  login: '1:4.8.1-2ubuntu2.2',
  logrotate: '3.19.0-1ubuntu1.1',
  'lsb-release': '11.1.0ubuntu4',
  mawk: '1.3.4.20200120-3',
  mount: '2.37.2-4ubuntu3.4',
  nano: '6.2-1',
  netbase: '6.3',
  'netplan.io': '0.106.1-7ubuntu0.22.04.2',
  'networkd-dispatcher': '2.1-2ubuntu0.22.04.2',
  'openssh-client': '1:8.9p1-3ubuntu0.10',
  'openssh-server': '1:8.9p1-3ubuntu0.10',
  'openssh-sftp-server': '1:8.9p1-3ubuntu0.10',
  openssl: '3.0.2-0ubuntu1.15',
  passwd: '1:4.8.1-2ubuntu2.2',
  perl: '5.34.0-3ubuntu1.3',
  procps: '2:3.3.17-6ubuntu2.1',
  python3: '3.10.6-1~22.04',
  'python3-apt': '2.4.0ubuntu3',
  'python3-jinja2': '3.0.3-1ubuntu0.1',
  'python3-jsonschema': '3.2.0-0ubuntu2',
  'python3-yaml': '5.4.1-1ubuntu1',
  'python3.10': '3.10.12-1~22.04.3',
  rsyslog: '8.2112.0-2ubuntu2.2',
  sed: '4.8-1ubuntu2',
  'sensible-utils': '0.0.17',
  'shim-signed': '1.51.3+15.7-0ubuntu1',
  sudo: '1.9.9-1ubuntu2.4',
  systemd: '249.11-0ubuntu3.12',
  'systemd-sysv': '249.11-0ubuntu3.12',
  'systemd-timesyncd': '249.11-0ubuntu3.12',
  tar: '1.34+dfsg-1ubuntu0.1.22.04.2',
  tzdata: '2024a-0ubuntu0.22.04',
  'ubuntu-keyring': '2021.03.26',
  udev: '249.11-0ubuntu3.12',
  'unattended-upgrades': '2.8ubuntu1',
  'util-linux': '2.37.2-4ubuntu3.4',
  vim: '2:8.2.3995-1ubuntu2.16',
  walinuxagent: '2.2.46-0ubuntu5.1',
  wget: '1.21.2-2ubuntu1.1',
  'xz-utils': '5.2.5-2ubuntu1',
  zlib1g: '1:1.2.11.dfsg-2ubuntu9.2',
};

/** Units an Ubuntu 22.04 Azure image has enabled: target.wants directory → service names. */
export const BASE_SERVICES: Readonly<Record<string, readonly string[]>> = {
  'multi-user.target.wants': [
    'chrony',
    'cron',
    'networkd-dispatcher',
    'rsyslog',
    'ssh',
    'systemd-networkd',
    'systemd-resolved',
    'unattended-upgrades',
    'walinuxagent',
  ],
  'cloud-init.target.wants': ['cloud-config', 'cloud-final', 'cloud-init', 'cloud-init-local'],
  'sysinit.target.wants': ['systemd-timesyncd'],
};

/** `ss -ltnH` / `ss -lunH` lines of a freshly provisioned VM (sshd, DHCP client, resolved's stub). */
export const BASE_LISTENERS = {
  tcp: ['0.0.0.0:22', '[::]:22', '127.0.0.53%lo:53'],
  udp: ['10.0.0.4%eth0:68', '127.0.0.53%lo:53', '127.0.0.1:323', '[::1]:323'],
} as const;

export const BASE_BOOT_SECONDS = 12.4;

export interface SyntheticInventory {
  readonly packages: Readonly<Record<string, string>>;
  readonly services: Readonly<Record<string, readonly string[]>>;
  readonly listeners: { readonly tcp: readonly string[]; readonly udp: readonly string[] };
  readonly bootSeconds: number;
}

export function syntheticInventory(variant: InventoryVariant = {}): SyntheticInventory {
  const packages: Record<string, string> = { ...BASE_PACKAGES, ...variant.addPackages };
  for (const name of variant.removePackages ?? []) delete packages[name];
  const disabled = new Set(variant.disableServices ?? []);
  const services: Record<string, string[]> = {};
  for (const [dir, names] of Object.entries(BASE_SERVICES))
    services[dir] = names.filter((n) => !disabled.has(n));
  services['multi-user.target.wants'] = [
    ...new Set([...(services['multi-user.target.wants'] ?? []), ...(variant.enableServices ?? [])]),
  ];
  const tcp: string[] = [...BASE_LISTENERS.tcp];
  const udp: string[] = [...BASE_LISTENERS.udp];
  for (const port of variant.openPorts ?? []) {
    const [proto, number] = port.split('/');
    (proto === 'udp' ? udp : tcp).push(`0.0.0.0:${number}`);
  }
  return {
    packages,
    services,
    listeners: { tcp, udp },
    bootSeconds: variant.bootSeconds ?? BASE_BOOT_SECONDS,
  };
}

const maintainer = 'Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>';

/** /var/lib/dpkg/status as dpkg writes it (the fields dpkg-query needs). */
export function dpkgStatus(packages: Readonly<Record<string, string>>): string {
  return Object.keys(packages)
    .sort()
    .map(
      (name) =>
        `Package: ${name}\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\nMaintainer: ${maintainer}\nVersion: ${packages[name]}\nDescription: ${name}\n`,
    )
    .join('\n');
}

/** A stand-in for `ss` answering -ltnH / -lunH with the guest's modelled sockets, in ss's columns. */
export function ssModel(listeners: SyntheticInventory['listeners']): string {
  const lines = (state: string, addrs: readonly string[]) =>
    addrs.map((a) => `${state.padEnd(6)} 0      128    ${a.padEnd(22)} ${a.startsWith('[') ? '[::]:*' : '0.0.0.0:*'}`).join('\n');
  return `#!/bin/sh
# gallery-guard simulator: this synthetic guest's listening sockets (no processes listen for real).
case "$*" in
  *t*) cat <<'GGEOF'
${lines('LISTEN', listeners.tcp)}
GGEOF
  ;;
  *u*) cat <<'GGEOF'
${lines('UNCONN', listeners.udp)}
GGEOF
  ;;
esac
`;
} // prettier-ignore

/** cloud-init's /var/lib/cloud/data/status.json after a first boot whose stages took `seconds` in all. */
export function cloudInitStatus(seconds: number, start = 1_733_000_000): string {
  const at = (f: number) => Math.round((start + seconds * f) * 1000) / 1000;
  const stage = (a: number, b: number) => ({
    errors: [],
    finished: at(b),
    recoverable_errors: {},
    start: at(a),
  });
  return `${JSON.stringify(
    {
      v1: {
        datasource: 'DataSourceAzure [seed=/dev/sr0]',
        'init-local': stage(0, 0.15),
        init: stage(0.2, 0.55),
        'modules-config': stage(0.6, 0.75),
        'modules-final': stage(0.8, 1),
        stage: null,
      },
    },
    null,
    1,
  )}\n`;
}
