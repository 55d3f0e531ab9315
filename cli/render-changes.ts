import { changeLines } from '../shared/inventory/changes-summary';
import type { InventoryDiff } from '../shared/inventory/inventory-diff';
import type { RunDetail } from '../shared/operator/run-detail';
import { clip } from './table';

const MAX_ITEMS = 12;

const items = (label: string, list: readonly string[]): string[] =>
  list.length === 0
    ? []
    : [
        `    ${label.padEnd(10)} ${clip(list.slice(0, MAX_ITEMS).join(', '), 400)}${list.length > MAX_ITEMS ? ` (+${list.length - MAX_ITEMS} more)` : ''}`,
      ];

function regionLines(diff: InventoryDiff): string[] {
  if (diff.kind === 'no-baseline') return [`  ${diff.region}: no baseline (${diff.reason})`];
  const lines = [`  ${diff.region} against ${diff.baselineVersion} (what latest resolves to there):`];
  const p = diff.packages;
  if (p.known) {
    lines.push(`    packages   +${p.added.length} -${p.removed.length} ~${p.changed.length}`);
    lines.push(...items('added', p.added.map((a) => `${a.name} ${a.version}`)));
    lines.push(...items('removed', p.removed.map((r) => `${r.name} ${r.version}`)));
    lines.push(...items('changed', p.changed.map((c) => `${c.name} ${c.from} → ${c.to}`)));
  } else {
    lines.push(`    packages   ${p.countBefore} → ${p.countAfter}, ${p.same ? 'same digest' : 'digests differ'} (${p.reason})`);
  }
  lines.push(...items('enabled', diff.services.enabled), ...items('disabled', diff.services.disabled));
  lines.push(...items('opened', diff.ports.opened), ...items('closed', diff.ports.closed));
  if (diff.kernel !== undefined) lines.push(`    kernel     ${diff.kernel.from} → ${diff.kernel.to}`);
  if (diff.os !== undefined) lines.push(`    os         ${diff.os.from} → ${diff.os.to}`);
  lines.push(
    diff.boot === undefined
      ? `    boot       not compared: ${diff.bootUnavailable ?? 'no figures'}`
      : `    boot       ${diff.boot.before} s → ${diff.boot.after} s (${diff.boot.deltaSeconds >= 0 ? '+' : ''}${diff.boot.deltaSeconds} s, ${diff.boot.deltaPercent >= 0 ? '+' : ''}${diff.boot.deltaPercent}%, ${diff.boot.source})`,
  );
  return lines;
} // prettier-ignore

/** `gg runs show`: what changed against the baseline, from the stored diffs (else the run's summary). */
export function renderChanges(detail: Pick<RunDetail, 'changes' | 'diffs'>): string[] {
  if (detail.diffs.length === 0 && detail.changes === undefined) return [];
  const lines = ['', 'What changed'];
  if (detail.diffs.length > 0) for (const diff of detail.diffs) lines.push(...regionLines(diff));
  else if (detail.changes !== undefined) lines.push(...changeLines(detail.changes).map((l) => `  ${l}`));
  for (const warning of detail.changes?.warnings ?? []) lines.push(`  ! ${clip(warning, 300)}`);
  return lines;
}
