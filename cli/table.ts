import { excerpt } from '../shared/verdict/excerpt';

/** Plain-text tables and sections for a terminal; no colours, so output pastes into tickets as is. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

export function when(iso: string | undefined): string {
  if (iso === undefined || iso === '') return '-';
  return iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** One line of at most `max` characters, cut after a whole sentence or word. */
export const clip = excerpt;

export function indent(lines: readonly string[], by = '  '): string[] {
  return lines.map((l) => `${by}${l}`);
}
