// An unlit cell between a code's parts, read as a letter. A fourteen- or sixteen-segment display draws every segment
// of every cell, the unlit ones faintly: a blank cell between ERR and its number is a dim star of strokes. The segment
// reader sees no lit segment there and leaves a space (ERR 50); the recogniser, seeing the faint strokes, often reads
// a letter there (ERROSO, ERRW27). Counted as a character of the recogniser's reading, that letter makes a code look
// like a longer word (digit-places.ts cellsCodeOnWord). Where the recogniser's reading has exactly one character per
// cell of the segment reader's reading, spaces included, the characters that fall on the blank cells are the unlit
// cells' ghosts, not letters of a word, and are left out before the two readings are compared.

/**
 * The recogniser's reading `raw` without the characters it read where the segment cells (`cells`) saw blank cells,
 * when the two have one character per cell; `raw` itself otherwise (no blank cell, or the readings do not line up).
 */
export function withoutBlankCellLetters(raw: string, cells: string | undefined): string {
  if (cells === undefined) return raw;
  const c = [...cells.trim().replace(/\s+/g, ' ')], r = [...raw.replace(/\s+/g, '')];
  if (!c.includes(' ') || r.length !== c.length) return raw;
  return r.filter((_, i) => c[i] !== ' ').join('');
}
