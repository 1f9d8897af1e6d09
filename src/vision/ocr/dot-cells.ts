// Character cells of a line that keeps a dot lattice's rhythm, counted from its
// lit dots. A 5×7 character's lit columns touch once its dots are joined
// (doubtful-dots.ts joinedDotLight), and characters stand a dark column apart,
// so each run of lit columns about a character wide is one character. The
// recogniser can read such a line surely and still drop a character: a slashed
// zero between two digits, its dots read as part of neither (F094 read F94 at
// 0.953; four runs five pitches wide each). Sure, and a code to the grammar, the
// line was never read again. A line whose lit dots fill more character cells
// than its reading has characters is put in doubt, so its other views are read
// (view-retry.ts), and a reading of another view with as many characters as
// there are cells may add the one the first dropped (view-choice.ts).
import type { RgbImage } from '../image.js';
import type { DecodedLine } from './ctc.js';
import { joinedDotLight, SOME_RHYTHM } from './doubtful-dots.js';
import type { DotMatrixLine } from './dot-matrix.js';
import type { LineGrammar } from './line-grammar.js';
import { grammarTakes } from './view-choice.js';

/** A dark gap at least this many pitches wide ends a run of lit columns. */
const GAP = 0.6;
/** Least width (pitches) of a run that counts as a character's cell: a 5×7 character is five wide, a 1 or a dash may be three or four. */
const CELL = 4;
/** Share of the crop's height a column lit over it all is lit: no character's column, which leaves the margins dark. */
const SOLID = 0.95;
/** A lit column holds lit pixels over at least this share of a pitch. */
const LIT_COLUMN = 0.5;
/** Least confidence of another view's reading that fills the cells the first left unread. */
const FILLS_SURE = 0.8;
/**
 * Most characters another view's reading may add to fill the cells: the one the first dropped. (ALM 61's bare 61 was
 * filled to AL61, its M still unread: letters ahead of a bare number are the prefix re-read's to find, box-ends.ts.)
 */
const MOST_ADDED = 1;

/**
 * The number of character-wide runs of lit columns on a line crop that keeps some of a dot lattice's rhythm (a
 * dot-matrix line, or a doubtful one: doubtful-dots.ts); null for any other line or one too faint to judge.
 */
export function dotCells(crop: RgbImage, d: DotMatrixLine | null | undefined): number | null {
  if (!d || d.score < SOME_RHYTHM || d.pitch <= 0) return null;
  const { joined, v, thr } = joinedDotLight(crop, d);
  if (thr === null) return null;
  const { width: w, height: h } = joined;
  let cells = 0, start = -1, last = -1, solid = 0;
  for (let x = 0; x <= w; x++) {
    let n = 0;
    if (x < w) for (let y = 0; y < h; y++) if (v[y * w + x]! > thr) n++;
    if (x < w && n >= LIT_COLUMN * d.pitch) {
      if (start < 0) (start = x), (solid = 0);
      if (n >= SOLID * h) solid++;
      last = x;
    } else if (start >= 0 && (x - last >= GAP * d.pitch || x === w)) {
      // A run at the crop's end with a pitch or more of columns lit over the crop's whole height is ground past the
      // display, not a character (a character leaves the crop's top and bottom margins dark): on a dark-on-light label
      // the dark ground past the label's edge is lit to this measure (E766 counted five cells; its lit view read E766 1).
      const ground = (start === 0 || last === w - 1) && solid >= d.pitch;
      if (last + 1 - start >= CELL * d.pitch && !ground) cells++;
      start = -1;
    }
  }
  return cells;
}

const cellText = (text: string): string => text.replace(/[^\p{L}\p{N}\-#]/gu, '').toUpperCase();

/** Cells counted per crop: the sure-display test and the retries ask of the same crop. */
const counted = new WeakMap<RgbImage, number | null>();

/**
 * The cells a line's lit dots fill where that is more than `text` has characters (see above); else null. Only a reading
 * with a digit is looked at: it is codes whose characters are counted.
 */
export function unreadCells(crop: RgbImage, d: DotMatrixLine | null | undefined, text: string): number | null {
  if (!cellText(text) || !/\d/.test(text)) return null;
  let cells = counted.get(crop);
  if (cells === undefined) counted.set(crop, (cells = dotCells(crop, d)));
  return cells !== null && cells > cellText(text).length ? cells : null;
}

/**
 * True when `other`, another view's reading of a line whose lit dots fill `cells` cells, should replace `current`, which
 * left some of them unread: it has a character for every cell, holds all of the first reading's in their order (it adds
 * one, it does not change: F94 → F094) and no fewer letters, is sure, and is a code or a status by itself to the grammar.
 * Only being surer (view-choice.ts) is not asked: the first view is surest of the characters it saw.
 */
export function fillsCells(other: DecodedLine, current: DecodedLine, cells: number, grammar: LineGrammar | undefined): boolean {
  const a = cellText(current.text), b = cellText(other.text);
  if (!grammar || b.length !== cells || b.length <= a.length || b.length - a.length > MOST_ADDED) return false;
  let j = 0;
  for (const c of b) if (j < a.length && c === a[j]) j++;
  const letters = (t: string): number => t.replace(/[^\p{L}]/gu, '').length;
  return j === a.length && letters(b) >= letters(a) && other.confidence >= FILLS_SURE && grammarTakes(other, grammar);
}
