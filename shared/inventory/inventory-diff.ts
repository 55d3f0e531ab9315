import type { GuestInventory } from './guest-inventory';

export interface PackageChange {
  readonly name: string;
  readonly from: string;
  readonly to: string;
}

/** What changed in one region between the version under test and what "latest" resolves to there. */
export type InventoryDiff =
  | { readonly kind: 'no-baseline'; readonly region: string; readonly reason: string }
  | {
      readonly kind: 'diff';
      readonly region: string;
      readonly baselineVersion: string;
      readonly packages:
        | {
            readonly known: true;
            readonly added: readonly { readonly name: string; readonly version: string }[];
            readonly removed: readonly { readonly name: string; readonly version: string }[];
            readonly changed: readonly PackageChange[];
          }
        | {
            readonly known: false;
            /** Why only counts and digests could be compared. */
            readonly reason: string;
            readonly countBefore: number;
            readonly countAfter: number;
            readonly same: boolean;
          };
      readonly services: { readonly enabled: readonly string[]; readonly disabled: readonly string[] };
      /** Whether a service list was capped on either side (a missing name may just be unlisted). */
      readonly servicesPartial: boolean;
      readonly ports: { readonly opened: readonly string[]; readonly closed: readonly string[] };
      readonly os?: { readonly from: string; readonly to: string };
      readonly kernel?: { readonly from: string; readonly to: string };
      /** Same-source boot figures only: comparing cloud-init's span with systemd-analyze would lie. */
      readonly boot?: {
        readonly source: string;
        readonly before: number;
        readonly after: number;
        readonly deltaSeconds: number;
        readonly deltaPercent: number;
      };
      readonly bootUnavailable?: string;
    };

const setDiff = (a: readonly string[], b: readonly string[]): string[] => {
  const other = new Set(b);
  return a.filter((x) => !other.has(x));
};

function packageDiff(current: GuestInventory, baseline: GuestInventory) {
  const now = current.packages.list;
  const before = baseline.packages.list;
  if (now === undefined || before === undefined) {
    const side = before === undefined ? 'the baseline' : 'this version';
    return {
      known: false as const,
      reason: `${side} sent a package digest and count only (its list did not fit Run Command's output)`,
      countBefore: baseline.packages.count,
      countAfter: current.packages.count,
      same: current.packages.digest !== '' && current.packages.digest === baseline.packages.digest,
    };
  }
  const names = (m: Readonly<Record<string, string>>) => Object.keys(m).sort();
  return {
    known: true as const,
    added: setDiff(names(now), names(before)).map((name) => ({ name, version: now[name]! })),
    removed: setDiff(names(before), names(now)).map((name) => ({ name, version: before[name]! })),
    changed: names(now)
      .filter((name) => before[name] !== undefined && before[name] !== now[name])
      .map((name) => ({ name, from: before[name]!, to: now[name]! })),
  };
}

function bootDiff(
  current: GuestInventory,
  baseline: GuestInventory,
): Pick<Extract<InventoryDiff, { kind: 'diff' }>, 'boot' | 'bootUnavailable'> {
  const [a, b] = [baseline.boot, current.boot];
  if (a.seconds === undefined || b.seconds === undefined || a.source !== b.source) {
    const why =
      a.seconds === undefined
        ? 'the baseline has no boot time'
        : b.seconds === undefined
          ? 'this version reported no boot time'
          : `boot times come from different sources (${a.source} vs ${b.source})`;
    return { bootUnavailable: why };
  }
  const deltaSeconds = Math.round((b.seconds - a.seconds) * 100) / 100;
  const deltaPercent = a.seconds > 0 ? Math.round((deltaSeconds / a.seconds) * 1000) / 10 : 0;
  return { boot: { source: a.source, before: a.seconds, after: b.seconds, deltaSeconds, deltaPercent } };
}

/** The diff of `current` against the baseline's inventory (both from the same region). */
export function diffInventories(
  region: string,
  current: GuestInventory,
  baseline: { readonly version: string; readonly inventory: GuestInventory },
): InventoryDiff {
  const before = baseline.inventory;
  return {
    kind: 'diff',
    region,
    baselineVersion: baseline.version,
    packages: packageDiff(current, before),
    services: {
      enabled: setDiff(current.services, before.services),
      disabled: setDiff(before.services, current.services),
    },
    servicesPartial: current.servicesOmitted > 0 || before.servicesOmitted > 0,
    ports: { opened: setDiff(current.ports, before.ports), closed: setDiff(before.ports, current.ports) },
    ...(current.os === before.os ? {} : { os: { from: before.os, to: current.os } }),
    ...(current.kernel === before.kernel ? {} : { kernel: { from: before.kernel, to: current.kernel } }),
    ...bootDiff(current, before),
  };
}
