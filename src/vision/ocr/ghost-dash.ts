// A code's dash read as an 8 over its cell's ghost segments. An LCD whose unlit segments show faintly draws every
// character over a ghost 8; a dash is its middle bar lit inside that ghost, and the recogniser reads the whole cell as
// an 8, surely (F-17 read F817 at 0.88, C-19 read C819 at 0.93, on a terminal font drawn over seven-segment ghosts).
// F817 is a code as much as F-17 (with a catalog's /F-?\d{2,3}/ too), and the line is sure, so it was never looked
// at again. On the line's lit strokes only (lit-view.ts: the ghost light put out) the cell is a dash, and the
// recogniser reads F-17 at 0.99.
// Here a line read as a code's letters then an 8 then digits, where the same letters, a dash and the same digits are
// a code too, is read once more on its lit strokes (view-retry.ts, in a batch of its own), and the lit reading is
// taken only where it is exactly that dashed code, read at least as surely.
import type { DecodedLine } from './ctc.js';
import type { LineGrammar } from './line-grammar.js';

/** A reading without its spaces, in capitals (as codes are compared). */
export const compact = (s: string): string => s.replace(/\s+/g, '').toUpperCase();
/** A code's letters (one to three), an 8, then one to three digits. */
const LETTERS_EIGHT = /^([A-Z]{1,3})8(\d{1,3})$/;

/** The code `text` would be with a dash in place of the 8 after its letters, where the grammar takes it as one; else null. */
export function dashedOverEight(text: string, grammar: LineGrammar | undefined): string | null {
  const m = LETTERS_EIGHT.exec(compact(text));
  if (!grammar || !m) return null;
  const dashed = `${m[1]}-${m[2]}`;
  return grammar.classifyText(dashed, 1).kind === 'alarm' ? dashed : null;
}

/** True when the lit reading is the first one's dashed code (dashedOverEight), read at least as surely. */
export function litShowsDash(lit: DecodedLine, first: DecodedLine, grammar: LineGrammar | undefined): boolean {
  const dashed = dashedOverEight(first.text, grammar);
  return !!dashed && compact(lit.text) === dashed && lit.confidence >= first.confidence;
}
