import type { InventoryDiff } from './inventory-diff';

/** At most this many names per list in the run row and the card: counts stay exact. */
export const TOP_ITEMS = 5;

/** "What changed", bounded for the run row (64 KiB column) and the card; per region. */
export interface RegionChanges {
  readonly region: string;
  readonly baselineVersion?: string;
  /** Set when there was nothing to compare with. */
  readonly noBaseline?: string;
  readonly packages?: {
    readonly added: number;
    readonly removed: number;
    readonly changed: number;
    /** "+nginx 1.22.1-9", "-cron 3.0pl1-162", "~openssl 3.0.11-1 → 3.0.13-1" */
    readonly top: readonly string[];
  };
  /** Why only package counts/digests could be compared. */
  readonly packagesUnknown?: string;
  readonly services?: { readonly enabled: readonly string[]; readonly disabled: readonly string[] };
  readonly ports?: { readonly opened: readonly string[]; readonly closed: readonly string[] };
  readonly kernel?: string;
  readonly os?: string;
  readonly boot?: {
    readonly before: number;
    readonly after: number;
    readonly deltaPercent: number;
    readonly source: string;
  };
  readonly bootUnavailable?: string;
}

export interface ChangesSummary {
  readonly regions: readonly RegionChanges[];
  /** Warn-only rule findings ("new listening port tcp/8080"), shown without failing. */
  readonly warnings: readonly string[];
}

const top = <T>(items: readonly T[], show: (t: T) => string): string[] => items.slice(0, TOP_ITEMS).map(show);

export function summariseDiff(diff: InventoryDiff): RegionChanges {
  if (diff.kind === 'no-baseline') return { region: diff.region, noBaseline: diff.reason };
  const p = diff.packages;
  return {
    region: diff.region,
    baselineVersion: diff.baselineVersion,
    ...(p.known
      ? {
          packages: {
            added: p.added.length,
            removed: p.removed.length,
            changed: p.changed.length,
            top: [
              ...top(p.added, (a) => `+${a.name} ${a.version}`),
              ...top(p.removed, (r) => `-${r.name} ${r.version}`),
              ...top(p.changed, (c) => `~${c.name} ${c.from} → ${c.to}`),
            ],
          },
        }
      : {
          packagesUnknown: `${p.reason}; ${p.same ? 'digests equal' : `${p.countBefore} → ${p.countAfter} packages, digests differ`}`,
        }),
    services: { enabled: diff.services.enabled.slice(0, TOP_ITEMS * 2), disabled: diff.services.disabled.slice(0, TOP_ITEMS * 2) },
    ports: { opened: diff.ports.opened.slice(0, TOP_ITEMS * 2), closed: diff.ports.closed.slice(0, TOP_ITEMS * 2) },
    ...(diff.kernel === undefined ? {} : { kernel: `${diff.kernel.from} → ${diff.kernel.to}` }),
    ...(diff.os === undefined ? {} : { os: `${diff.os.from} → ${diff.os.to}` }),
    ...(diff.boot === undefined
      ? { bootUnavailable: diff.bootUnavailable ?? 'not compared' }
      : { boot: { before: diff.boot.before, after: diff.boot.after, deltaPercent: diff.boot.deltaPercent, source: diff.boot.source } }),
  };
} // prettier-ignore

/** Short lines a person reads: "eastus vs 1.0.0: packages +1 -0 ~0 (+nginx 1.22.1-9); services -cron". */
export function changeLines(changes: ChangesSummary): string[] {
  return changes.regions.map((r) => {
    if (r.noBaseline !== undefined) return `${r.region}: no baseline (${r.noBaseline})`;
    const parts: string[] = [];
    if (r.packages !== undefined) {
      const { added, removed, changed } = r.packages;
      const items = r.packages.top.slice(0, 3).join(', ');
      parts.push(added + removed + changed === 0 ? 'packages unchanged' : `packages +${added} -${removed} ~${changed}${items === '' ? '' : ` (${items})`}`);
    } else if (r.packagesUnknown !== undefined) parts.push(`packages: ${r.packagesUnknown}`);
    const svc = [...(r.services?.enabled ?? []).map((s) => `+${s}`), ...(r.services?.disabled ?? []).map((s) => `-${s}`)];
    if (svc.length > 0) parts.push(`services ${svc.slice(0, 4).join(' ')}`);
    const ports = [...(r.ports?.opened ?? []).map((s) => `+${s}`), ...(r.ports?.closed ?? []).map((s) => `-${s}`)];
    if (ports.length > 0) parts.push(`ports ${ports.slice(0, 4).join(' ')}`);
    if (r.kernel !== undefined) parts.push(`kernel ${r.kernel}`);
    if (r.boot !== undefined) parts.push(`boot ${r.boot.before} s → ${r.boot.after} s (${r.boot.deltaPercent >= 0 ? '+' : ''}${r.boot.deltaPercent}%)`);
    return `${r.region} vs ${r.baselineVersion ?? '?'}: ${parts.length === 0 ? 'no change' : parts.join('; ')}`;
  });
} // prettier-ignore
