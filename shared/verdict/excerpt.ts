/**
 * A short excerpt of free text (Azure error messages, guest output) for evidence, cards and the CLI:
 * on one line, and when it is too long, cut after the last whole sentence or word that fits,
 * marked with "…". Never mid-word: a cut like "… prepared (generalized). * Instruction" reads as if
 * the evidence itself were broken.
 */
export function excerpt(text: string | undefined, max: number): string {
  // Line breaks (with the indentation around them) become one space; runs of spaces inside a line
  // stay, so a serial-log line keeps its "[    2.104512]" alignment.
  const flat = (text ?? '')
    .replace(/[^\S\r\n]*[\r\n]+\s*/g, ' ')
    .replace(/\t/g, ' ')
    .trim();
  if (flat.length <= max) return flat;
  const room = flat.slice(0, Math.max(max - 1, 1));
  // A sentence end that keeps most of the room is the cleanest cut.
  const sentence = Math.max(
    room.lastIndexOf('. '),
    room.lastIndexOf('; '),
    room.lastIndexOf('! '),
    room.lastIndexOf('? '),
  );
  if (sentence >= max * 0.5) return `${room.slice(0, sentence + 1)} …`;
  const space = room.lastIndexOf(' ');
  const cut = space >= max * 0.3 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.-]+$/, '')}…`;
}
