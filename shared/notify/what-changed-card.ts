import { changeLines, type ChangesSummary } from '../inventory/changes-summary';
import { excerpt } from '../verdict/excerpt';

const MAX_LINES = 4;

/**
 * The card's "What changed" section: one line per region against the version "latest" resolved to
 * there (counts and the first few items), then warn-only findings. Nothing when no diff was made.
 */
export function whatChangedSection(changes: ChangesSummary | undefined): Record<string, unknown>[] {
  if (changes === undefined || (changes.regions.length === 0 && changes.warnings.length === 0)) return [];
  const lines = changeLines(changes);
  const blocks: Record<string, unknown>[] = [
    { type: 'TextBlock', weight: 'Bolder', separator: true, text: 'What changed' },
    ...lines.slice(0, MAX_LINES).map((line) => ({
      type: 'TextBlock',
      wrap: true,
      spacing: 'Small',
      text: excerpt(line, 300),
    })),
  ];
  if (lines.length > MAX_LINES)
    blocks.push({ type: 'TextBlock', isSubtle: true, text: `…and ${lines.length - MAX_LINES} more regions` });
  for (const warning of changes.warnings.slice(0, MAX_LINES))
    blocks.push({ type: 'TextBlock', color: 'Warning', wrap: true, text: `⚠️ ${excerpt(warning, 300)}` });
  return blocks;
}
