// A code's dash the recogniser skipped. A dash is one short flat bar between a code's letters and its number; glare
// over it, or a thin dim middle bar, leaves the recogniser reading the two groups as one word (E-140 read E140 under a
// glare spot, C-06 read C 06). Both are codes to the grammar (E140 under /E\d{2,3}/, C 06 without a catalog), so the
// wrong one is reported. The segment cells often see the dash as a cell of its own: its middle bar lit, every other
// position dark against it (cell-letters.ts cellDash); not always (C 06's cells found a space there, and it stays).
// Here a code read as letters directly followed by digits, whose line shows exactly one cell more than the reading
// has characters, that cell a dash standing between the letters' cells and the digits' cells, is read with the dash
// put in its place: kept where the grammar takes the dashed code as an alarm, or else the code is in doubt (the
// display shows a character the reading left out) and reported as none. A status is never touched.
import { cellDash } from './cell-letters.js';
import type { LineGrammar, LineReading } from './line-grammar.js';
import { IN_DOUBT } from './prefix-letter.js';
import type { SegmentLine } from './segment-cells.js';

/** The reading with the dash its cells show between its letters and its number; the reading itself where none is seen. */
export function withSkippedDash(reading: LineReading, line: SegmentLine | null, grammar: LineGrammar | undefined): LineReading {
  return (grammar && line ? skippedDash(reading, line, grammar) : null) ?? reading;
}

function skippedDash(reading: LineReading, line: SegmentLine, grammar: LineGrammar): LineReading | null {
  if (reading.kind !== 'alarm') return null;
  // Letters and digits side by side, or with a space where the dash stands (C-06 read C 06 on an enhanced view).
  const m = /^([A-Za-z]+) ?(\d+)$/.exec(reading.text.trim());
  if (!m) return null;
  const lead = m[1]!.length;
  const cells = line.cells.filter((c) => c.shape !== '.');
  if (cells.length !== lead + m[2]!.length + 1) return null;
  // The dash cell stands right after the letters and is the only cell drawn as a dash on the line: a cell of a glyph
  // split apart (a 4's left piece) lights more than its middle bar, and a second dash would be no code's.
  if (!cellDash(cells[lead]!) || cells.some((c, i) => i !== lead && cellDash(c))) return null;
  const dashed = grammar.classifyText(`${m[1]}-${m[2]}`, reading.confidence);
  if (dashed.kind === 'alarm') return { ...dashed, raw: reading.raw, changed: (reading.changed ?? 0) + 1 };
  return { ...reading, confidence: Math.min(reading.confidence, IN_DOUBT) };
}
