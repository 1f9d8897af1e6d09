// When a frame is still in doubt about its display, decided in one place, and the looks that run on such a
// frame. The first pass (panel-reader.ts) may read a camera frame's signs and key labels but not its display;
// then the detector looks again on other views (second-look.ts) and, when that finds nothing either, the stroke
// finder searches at a finer scale (display-search.ts). Each of them used to ask "does the frame read its
// display?" on its own; here one predicate answers for all, so the passes cannot disagree.
// A frame reads its display when one line is an alarm code, or a status line that says it is one: a named status
// (RUN 1450), a marked value (04:43, 72C, 935.3), a status word on a display, a long number (a count, a speed:
// 1450). A short unnamed, unmarked number (9, 28, 593) does not settle it: on a segment display it is as often a
// piece of the display (the 9 of F69, the 28 of a box cut after FLT) or a code whose letter prefix the recogniser
// took for digits (F97 read 99) as a status value shown alone, so the further looks still run on such a frame. A
// number read that way is only a display line in doubt: it hides from the looks only what it covers itself (a box
// or a stroke line mostly inside it), and a display line the looks find over it replaces it (it was a piece of
// that line). Four digits and more settle the frame: the looks' cost stays off the many displays that show a
// count or a speed alone, and a code's digits after its letters are mostly two or three.
// The looks' cost stays on frames in doubt: a frame that reads a code or a named status gets none.
import { reachesPastLine } from './box-beyond-line.js';
import { strokeOnlyNumber } from './stroke-number.js';
import { coveredShare } from './text-boxes.js';

/** The least confidence of a line that counts as the display read (the analyser's default acceptance). */
export const DISPLAY_LINE_CONFIDENCE = 0.5;

type Bounds = { x: number; y: number; width: number; height: number };

export interface ReadLine {
  text: string;
  /** What the recogniser read, where a grammar or clean-up changed it. */
  raw?: string;
  found?: string;
  confidence: number;
  box: Bounds;
  reading?: { kind: 'alarm' | 'status' | 'text' };
  segment?: number;
  dotMatrix?: number;
}

/**
 * True when the line is an alarm code or a status line read surely enough to be reported. A status word alone
 * (PROG, JOG, STOP) in print is more often a key's or a bezel's label than the display: it counts only on a line
 * that looks like a display (segments, dots); a status with a number is a display's line.
 */
export function displayLine(l: ReadLine): boolean {
  if (l.confidence < DISPLAY_LINE_CONFIDENCE) return false;
  if (l.reading?.kind === 'alarm') return true;
  if (l.reading?.kind !== 'status') return false;
  return /\d/.test(l.text) || (l.segment ?? 0) >= 0.5 || l.dotMatrix !== undefined;
}

/** True when one of the lines is a display line (displayLine): an alarm code or a status line. */
export function readsDisplay(lines: readonly ReadLine[]): boolean {
  return lines.some(displayLine);
}

/** A status line that is a number only: no name, no unit, no colon, no decimal point. */
export function bareNumber(l: ReadLine): boolean {
  return l.reading?.kind === 'status' && /^\d+$/.test(l.text.replace(/\s+/g, ''));
}

/** The most digits of a bare number that leaves the frame in doubt (a piece of a display, a code's digits). */
export const MOST_DOUBTFUL_DIGITS = 3;

/** A bare number short enough to be a piece of the display or a code's digits without their letters. */
export function shortNumber(l: ReadLine): boolean {
  return bareNumber(l) && l.text.replace(/\s+/g, '').length <= MOST_DOUBTFUL_DIGITS;
}

/**
 * True while no line settles the frame's display: no alarm code, no status line other than a short bare number or
 * a number only the stroke finder saw, with no segments or dots under it (stroke-number.ts: clutter as often).
 */
export function inDoubt(lines: readonly ReadLine[]): boolean {
  return !lines.some((l) => displayLine(l) && !shortNumber(l) && !strokeOnlyNumber(l));
}

/**
 * True when the line read hides `box` from the looks (the box was read already): the line covers most of it, at
 * about the same height (a line over twice as tall as the box, a bezel read as one glyph, hides no display inside
 * it). `loose`: a line sure of what it reads also hides a box that mostly lies on it the other way round (a box a
 * little larger than the line); a short bare number does not, as the box may be the whole display it is a piece of.
 * No line hides a box that reaches well past its ends: that box holds characters the line did not read.
 */
export function hides(line: ReadLine, box: Bounds, loose: boolean): boolean {
  if (line.box.height > 2 * box.height) return false;
  // A box reaching well past the line's ends holds characters the line did not read (box-beyond-line.ts).
  if (reachesPastLine(box, line.box)) return false;
  if (coveredShare(box, line.box) > 0.5) return true;
  if (!loose || shortNumber(line)) return false;
  const smaller = Math.min(box.width * box.height, line.box.width * line.box.height);
  return coveredShare(box, line.box) * box.width * box.height > 0.5 * smaller;
}

/**
 * The frame's lines with the display lines a look found added, in reading order; a bare number mostly inside a
 * line found is dropped (a piece of it). A bare number found is added only to a frame that has no display line
 * yet (another piece of a display read already in part says nothing new), and not over a line already read. The
 * lines as they were when none was found.
 */
export function addFound<L extends ReadLine>(lines: L[], looked: readonly L[]): L[] {
  const anyDisplay = readsDisplay(lines);
  const found = looked.filter((f) => displayLine(f) && !(bareNumber(f) && (anyDisplay || lines.some((l) => coveredShare(f.box, l.box) > 0.5)))
    && !lines.some((l) => readAlready(f, l)));
  if (!found.length) return lines;
  const kept = lines.filter((l) => !bareNumber(l) || !found.some((f) => !bareNumber(f) && coveredShare(l.box, f.box) > 0.5));
  return [...kept, ...found].sort((a, b) => {
    const same = Math.abs(a.box.y + a.box.height / 2 - (b.box.y + b.box.height / 2)) < 0.5 * Math.min(a.box.height, b.box.height);
    return same ? a.box.x - b.box.x : a.box.y - b.box.y;
  });
}

/**
 * True when the line a look found is a piece of a line read already: its box lies mostly inside that line's, and
 * that line read the same characters in a longer run (LOAD 13% read L083134 on its box, the finer stroke search's
 * box over its first two glyphs read L0, which the grammar takes for a code). A look adds what the frame has not
 * read; a display that a box merged with the clutter around it reads as its own characters, not as a run already
 * read there.
 */
function readAlready(found: ReadLine, line: ReadLine): boolean {
  const compact = (t: string): string => t.replace(/[\s.:-]+/g, '').toUpperCase();
  const piece = compact(found.text);
  const seen = [line.text, line.raw ?? ''].map(compact).some((s) => s.length > piece.length && s.includes(piece));
  return piece.length > 0 && seen && coveredShare(found.box, line.box) > 0.5;
}

/** One further look for the display: the lines with what it found added (addFound), or the lines as they were. */
export type DisplayLook<L> = (lines: L[]) => Promise<L[]>;

/** The looks run in order while the frame stays in doubt; the lines after the last one that ran. */
export async function settleDoubt<L extends ReadLine>(lines: L[], looks: ReadonlyArray<DisplayLook<L>>): Promise<L[]> {
  let out = lines;
  for (const look of looks) {
    if (!inDoubt(out)) break;
    out = await look(out);
  }
  return out;
}
