// A dot-matrix code's letters left outside the detector's box. On a VFD or LED
// dot-matrix module the box may cover only the dash and the digits of a code
// (F-49 boxed over -49): the letter's cell stands a dot pitch or two apart from
// the dash, and a dim or tilted frame splits the line there. The line is then
// read -49, a prefix-less code body, and no alarm is reported. On the crop
// widened to the left (box-ends.ts) the recogniser does see a letter there, but
// not surely the right one: a 5×7 F is an E without its bottom row to it.
// The recogniser and the dots together say whether a letter is there, and
// which. On the widened crop the line's cells (dot-rom-digits.ts dotCells: one
// run of lit columns per character) must end in the first reading's characters:
// a dash's run, then one cell per digit, some digit's dots clearly the digit the
// first reading had there (the cells are that line's, in step). The recogniser
// must read one to three letters before the body there (its dash may come out
// as a look-alike: a CJK one, or a 1), and exactly that many runs stand right
// before the dash's, each no more than a character's gap from the next, the
// first after a whole cell's dark gap or the crop's start: a status word such
// as TEMP before a negative value -12 stands a blank cell apart and is never
// taken as a prefix. A run whose 5×7 dots clearly name a letter is that letter
// (a 5×7 F is an E without its bottom row to the recogniser); one whose dots
// clearly name a digit makes no code. Lit ink read as a letter is found, never
// guessed: a value with no letter cell before its dash is never made a code.
// The result is kept only when the grammar takes it as a code.
import type { RgbImage } from '../image.js';
import type { LineGrammar } from './line-grammar.js';
import { dotCells, romClearly, type DotCell } from './dot-rom-digits.js';

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

/** The recogniser's reading of a widened body: letters, the dash (or a look-alike: a CJK one, or a 1), the digits. */
const LETTERED = /^(\p{Lu}{1,3})[-\u2010-\u2015\u4e00\u30fc1](\d{2,4})$/u;

/**
 * The code a line first read as the body `text` (-49) spells on its widened crop, `greedy` the recogniser's reading
 * there (F一49 → F-49): the letters the recogniser reads before the body, where the crop's dot cells hold exactly
 * that many runs of lit columns right before the dash's and none close before them (see the file comment). A cell
 * whose dots clearly name a letter is that letter; one whose dots clearly name a digit and no letter makes no code.
 * Null when the grammar takes no code of it either.
 */
export function dotPrefixCode(wider: RgbImage, text: string, greedy: string, grammar: Pick<LineGrammar, 'alarmCode'>): string | null {
  const body = dashBody(text);
  const m = body ? LETTERED.exec(greedy.replace(/\s+/g, '').toUpperCase()) : null;
  if (!m || m[2] !== body!.slice(1)) return null;
  const found = dotCells(wider);
  if (!found) return null;
  const { cells, pitch } = found;
  const dash = bodyAt(cells, body!);
  const n = m[1]!.length, k = dash - n;
  if (dash < 0 || k < 0) return null;
  const letters = [...m[1]!];
  for (let j = 0; j < n; j++) {
    const cell = cells[k + j]!;
    if (cells[k + j + 1]!.a - cell.b > CHAR_GAP * pitch) return null;
    const letter = cell.dots ? romClearly(cell.dots, /[A-Z]/) : null;
    if (letter) letters[j] = letter;
    else if (cell.dots && romClearly(cell.dots, /\d/)) return null;
  }
  // The prefix starts the line: a whole cell's dark gap, or the crop's start, before it (else it is a word's tail).
  const first = cells[k]!;
  if (k > 0 && first.a - cells[k - 1]!.b <= CHAR_GAP * pitch) return null;
  if (k === 0 && first.a < 0.5 * pitch) return null;
  const code = letters.join('') + body!;
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
