// When a frame's display is read surely on the first recognition, its other lines are not read again on other
// views (view-retry.ts). The retries are for lines in doubt: a display line read unsurely, or digits the grammar
// takes as nothing. On a camera frame most such lines are the panel's printed legends, stickers and the strokes of
// clutter, read at 0.5-0.8; once one line is the display read surely, another view of them can only make a second
// code out of a legend (a frame with two codes is wrong) or change text nobody reports. Their enhanced and lit views
// were about half of a drawn frame's recognition time.
// "Surely" uses only what the first pass already worked out for the line. A line the retries would not touch
// themselves (not in doubt, view-choice.ts): an alarm code read as it is (the grammar changed nothing), not the
// remains of a status name (status-remains.ts), at the retry threshold's confidence or more; or a named status with a
// number on a line that looks like a display (segments or dots: a printed legend is never the display). A line in
// doubt (segment displays are often read at 0.7-0.9): only a code that the segment cells and the recogniser both
// spell as it is, the grammar changing nothing; its own retry would only weigh the same characters again.
// A frame with no such line is read as before, every line in doubt retried.
import type { LineInterpretation } from './line-arbitration.js';
import type { LineGrammar } from './line-grammar.js';

/** Least segment likeness of a status line that counts as the display (frame-doubt.ts counts a status word from it). */
const DISPLAY_SEGMENT = 0.5;

/** Least confidence of a code the recogniser and the segment cells read alike, on a line in doubt. */
const AGREED_FROM = 0.6;

const compact = (s: string): string => s.replace(/\s+/g, '').toUpperCase();

/**
 * True when the line is the display read surely (see above). `greedy`: the recogniser's own text of the line;
 * `inDoubt`: the retries would read the line again itself (view-choice.ts inDoubt); `dotMatrix`: it is a dot-matrix
 * display.
 */
export function sureDisplayLine(line: LineInterpretation, greedy: string, o: { dotMatrix: boolean; inDoubt: boolean }, grammar: LineGrammar, sureFrom: number): boolean {
  const r = line.reading;
  if (!r || r.constraintCost || r.changed) return false;
  if (r.kind === 'alarm' && (!r.code || grammar.statusRemains(r, r.code, line.cells))) return false;
  // A line in doubt is the display read surely only where the segment cells and the recogniser spell the same code.
  if (o.inDoubt) return r.kind === 'alarm' && line.cells !== undefined && line.confidence >= AGREED_FROM && compact(line.cells) === compact(line.text) && compact(greedy) === compact(line.text);
  if (line.confidence < sureFrom || r.confidence < sureFrom) return false;
  if (r.kind === 'alarm') return true;
  if (r.kind === 'status') return !!r.name && /\d/.test(r.value ?? '') && (o.dotMatrix || line.segment >= DISPLAY_SEGMENT);
  return false;
}
