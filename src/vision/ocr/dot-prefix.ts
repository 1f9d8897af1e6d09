// A dot-matrix code's letters left outside the detector's box. On a VFD or LED
// dot-matrix module the box may cover only the dash and the digits of a code
// (F-49 boxed over -49): the letter's cell stands a dot pitch or two apart from
// the dash, and a dim or tilted frame splits the line there. The line is then
// read -49, a prefix-less code body, and no alarm is reported. On the crop
// widened to the left (box-ends.ts) the recogniser does see a letter there, but
// not surely the right one: a 5×7 F is an E without its bottom row to it.
// The dots say which letter it is, and whether one is there at all. On the
// widened crop the line's cells (dot-rom-digits.ts dotCells: one run of lit
// columns per character) must end in the first reading's characters: a dash's
// run, then one cell per digit, some digit's dots clearly the digit the first
// reading had there (the cells are that line's, in step). Right before the dash
// stand one to three cells, each clearly a letter's 5×7 pattern and no digit's,
// the first of them after a dark gap of a whole cell or the crop's start, the
// others with no more than a character's gap between them and the dash (a status
// word such as TEMP before a negative value -12 stands a blank cell apart, and is
// never taken as a prefix). Lit ink read as a letter is found, never guessed: a
// bare value has no letter cell before its dash, so it is never made a code.
// The result is kept only when the grammar takes it as a code.
import type { RgbImage } from '../image.js';
import type { LineGrammar } from './line-grammar.js';
import { dotCells, romClearly, type DotCell } from './dot-rom-digits.js';

/** Most letters of a code's prefix (ERR). */
const MOST_LETTERS = 3;
/** Widest dark gap (dot pitches) between a prefix's cells, and between its last cell and the dash: a character's gap. */
const CHAR_GAP = 2.5;

/** A prefix-less code body: a dash, then two to four digits (no status value is drawn so). */
export function dashBody(text: string): string | null {
  const t = text.replace(/\s+/g, '');
  return /^-\d{2,4}$/.test(t) ? t : null;
}

/** True when the crop's dot cells show the body `-NN` itself: its digits' cells in step with what was read. */
export function bodyOnDots(crop: RgbImage, text: string): boolean {
  const body = dashBody(text);
  const found = body ? dotCells(crop) : null;
  return !!found && bodyAt(found.cells, body!) >= 0;
}

/**
 * The code the widened crop's dots spell for a line first read as the body `text` (-49 → F-49), or null when no
 * letter cell stands right before the body's dash (see the file comment) or the grammar takes no code of it.
 */
export function dotPrefixCode(wider: RgbImage, text: string, grammar: Pick<LineGrammar, 'alarmCode'>): string | null {
  const body = dashBody(text);
  const found = body ? dotCells(wider) : null;
  if (!found) return null;
  const { cells, pitch } = found;
  const dash = bodyAt(cells, body!);
  if (dash < 1) return null;
  let letters = '', k = dash - 1;
  for (; k >= 0 && letters.length < MOST_LETTERS; k--) {
    const cell = cells[k]!, next = cells[k + 1]!;
    if (next.a - cell.b > CHAR_GAP * pitch) break;
    const letter = cell.dots ? romClearly(cell.dots, /[A-Z]/) : null;
    if (!letter) return null;
    letters = letter + letters;
  }
  if (!letters) return null;
  // The prefix starts the line: a whole cell's dark gap, or the crop's start, before it (else it is a word's tail).
  const first = cells[k + 1]!;
  if (k >= 0 && first.a - cells[k]!.b <= CHAR_GAP * pitch) return null;
  if (k < 0 && first.a < 0.5 * pitch) return null;
  const code = letters + body!;
  return grammar.alarmCode(code) ? code : null;
}

/**
 * Index of the dash's cell where the cells end in the body `-NN` (a dash's run, no full cell, then one cell per digit,
 * some digit's dots clearly the digit read there); -1 when they do not.
 */
function bodyAt(cells: DotCell[], body: string): number {
  const digits = body.slice(1);
  const dash = cells.length - digits.length - 1;
  if (dash < 0 || cells[dash]!.dots) return -1;
  const inStep = [...digits].some((d, j) => {
    const dots = cells[dash + 1 + j]!.dots;
    return !!dots && romClearly(dots, /\d/) === d;
  });
  return inStep ? dash : -1;
}
