// Lines not worth reading again on other views (view-retry.ts). The retries are for a display line in doubt; on a
// camera frame most lines they read again are scraps: a detector or stroke box on a screw, a bezel's corner, a cable,
// a lone glyph of a legend, read as nothing at all or as one character (T, 1, a CJK glyph) at low confidence. Once
// another line of the frame reads the display (frame-doubt.ts: an alarm code, or a status line that settles the frame),
// another view of a scrap can only add a second code (a frame with two codes is wrong) or a stray number nobody
// reports; its enhanced, lit and joined-dots views cost as much to make and read as a real line's. Such lines are left
// as read. A frame whose display no line reads yet retries every line as before: there a scrap may be the display.
import { displayLine, shortNumber, type ReadLine } from './frame-doubt.js';
import type { LineInterpretation } from './line-arbitration.js';

/** Most letters and digits of a scrap's reading. */
const SCRAP_CHARACTERS = 1;

export interface FirstReading {
  /** The recogniser's own text of the line (its greedy path). */
  greedy: string;
  /** What the grammar and the segment reader make of it. */
  line: LineInterpretation;
  dotMatrix: boolean;
}

const NO_BOX = { x: 0, y: 0, width: 0, height: 0 };
const asRead = (r: FirstReading): ReadLine => ({ ...r.line, box: NO_BOX, ...(r.dotMatrix ? { dotMatrix: 1 } : {}) });
/** The line reads the display: a display line (frame-doubt.ts) that settles the frame (not a short bare number). */
const readsDisplay = (r: FirstReading): boolean => displayLine(asRead(r)) && !shortNumber(asRead(r));
const alnum = (s: string): number => s.replace(/[^A-Za-z0-9]/g, '').length;

/** Per line, true when it is a scrap on a frame whose display another line reads (see above): not read again. */
export function scrapLines(lines: readonly FirstReading[]): boolean[] {
  const display = lines.findIndex(readsDisplay);
  return lines.map((l, k) => display >= 0 && k !== display && !readsDisplay(l) && alnum(l.greedy) <= SCRAP_CHARACTERS && alnum(l.line.text) <= SCRAP_CHARACTERS);
}
