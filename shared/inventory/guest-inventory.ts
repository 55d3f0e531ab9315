import { gunzipSync } from 'node:zlib';

/**
 * What one Linux guest says it is made of, collected in the same Run Command pass as the checks.
 * Packages are "name → version"; a list too large for Run Command's output arrives as a digest and a
 * count only (`packages.list` undefined), and everything built on it says so rather than guess.
 */
export interface GuestInventory {
  /** PRETTY_NAME from /etc/os-release. */
  readonly os: string;
  readonly kernel: string;
  readonly packages: {
    readonly manager: 'dpkg' | 'rpm' | 'none';
    readonly count: number;
    /** sha256 prefix of the sorted "name=version" lines: equal digests, equal package sets. */
    readonly digest: string;
    readonly list?: Readonly<Record<string, string>>;
  };
  /** Enabled systemd services (unit names without ".service"), sorted. */
  readonly services: readonly string[];
  /** Enabled services found but not listed (the list is capped to fit the output). */
  readonly servicesOmitted: number;
  /** Listening sockets on non-loopback addresses, "tcp/22", "udp/68", sorted. */
  readonly ports: readonly string[];
  readonly boot: {
    /** Seconds until the guest finished booting, by `source`. Undefined when the guest could not tell. */
    readonly seconds?: number;
    readonly source: 'systemd-analyze' | 'cloud-init' | 'none';
    /** cloud-init's own span, first stage start to last stage finished (status.json). */
    readonly cloudInitSeconds?: number;
  };
}

/** Marker of the inventory line the check script prints last on stderr. */
export const INVENTORY_MARKER = 'GGINV ';

export class InventoryParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InventoryParseError';
  }
}

const PACKAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9+._:-]{0,127}$/;
const UNIT = /^[A-Za-z0-9:_.@\\-]{1,128}$/;
const PORT = /^(tcp|udp)\/\d{1,5}$/;

const text = (v: unknown, max = 200): string => (typeof v === 'string' ? v.slice(0, max) : '');
const seconds = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 86_400 ? Math.round(v * 100) / 100 : undefined;

/** "name=version" lines (sorted, as the guest hashed them) into a map; junk lines are dropped. */
export function parsePackageLines(lines: string): Record<string, string> {
  const list: Record<string, string> = {};
  for (const line of lines.split('\n')) {
    const at = line.indexOf('=');
    if (at <= 0) continue;
    const name = line.slice(0, at);
    if (PACKAGE_NAME.test(name)) list[name] = line.slice(at + 1, at + 129);
  }
  return list;
}

function packageList(b64: unknown): Record<string, string> | undefined {
  if (typeof b64 !== 'string' || b64 === '') return undefined;
  try {
    return parsePackageLines(gunzipSync(Buffer.from(b64, 'base64')).toString('utf8'));
  } catch (cause) {
    throw new InventoryParseError('package list is not gzip+base64', { cause });
  }
}

/** The inventory line from Run Command's stderr part; undefined when the guest printed none. */
export function parseInventory(stderr: string): GuestInventory | undefined {
  const line = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .reverse()
    .find((l) => l.startsWith(INVENTORY_MARKER));
  if (line === undefined) return undefined;
  let o: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(line.slice(INVENTORY_MARKER.length));
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not an object');
    o = value as Record<string, unknown>;
  } catch (cause) {
    throw new InventoryParseError('inventory line is not valid JSON', { cause });
  }
  const manager = o.pkgManager === 'dpkg' || o.pkgManager === 'rpm' ? o.pkgManager : 'none';
  const list = packageList(o.pkgList);
  const count = typeof o.pkgCount === 'number' && o.pkgCount >= 0 ? Math.floor(o.pkgCount) : 0;
  const strings = (v: unknown, re: RegExp): string[] =>
    Array.isArray(v)
      ? [...new Set(v.filter((x): x is string => typeof x === 'string' && re.test(x)))].sort()
      : [];
  const bootSource =
    o.bootSource === 'systemd-analyze' || o.bootSource === 'cloud-init' ? o.bootSource : 'none';
  const bootSeconds = seconds(o.bootSeconds);
  const cloudInitSeconds = seconds(o.cloudInitSeconds);
  return {
    os: text(o.os) || 'unknown',
    kernel: text(o.kernel, 100) || 'unknown',
    packages: {
      manager,
      count,
      digest: /^[0-9a-f]{16}$/.test(text(o.pkgDigest)) ? text(o.pkgDigest) : '',
      // A list that does not add up to the count the guest reported is not the list.
      ...(list !== undefined && Object.keys(list).length === count ? { list } : {}),
    },
    services: strings(o.services, UNIT),
    servicesOmitted: typeof o.servicesOmitted === 'number' && o.servicesOmitted > 0 ? o.servicesOmitted : 0,
    ports: strings(o.ports, PORT),
    boot: {
      source: bootSeconds === undefined ? 'none' : bootSource,
      ...(bootSeconds === undefined ? {} : { seconds: bootSeconds }),
      ...(cloudInitSeconds === undefined ? {} : { cloudInitSeconds }),
    },
  };
}
