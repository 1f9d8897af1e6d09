// A code read from a piece of a status line is no alarm. The detector or a further look sometimes gives a box over
// only part of a display line besides the whole line, or splits the line in two: the piece then reads a few of the
// line's characters alone, and the code grammar makes a code of them (SET 1161 read whole as SET 116 and, on a box
// over its last glyphs, as T 116, made E 116). A line read as a status by what it says (a name, or a value with a
// unit or a clock's colon the recogniser read) vouches for the whole run: a code whose box lies mostly inside that
// line's box and whose digits the status line read in a longer run is a piece of it; so is a code right after a
// status name read alone on the same row (LOAD, then its value on a box of its own, made a code), the value a
// status name shows (or on a box that took in the name's end, read as letters before the digits), and one right
// before a value read with its unit (LOAD 80% on a glaring display: the stroke finder's box over LO read L0, the
// detector's over 80% read 80%), the name of that value.
import { statusByItself, type LineReading } from './line-grammar.js';
import { coveredShare } from './text-boxes.js';

type Bounds = { x: number; y: number; width: number; height: number };

export interface PieceLine {
  text: string;
  raw?: string;
  box: Bounds;
  reading?: Pick<LineReading, 'kind' | 'name' | 'value' | 'raw'>;
}

/** Share of a box inside another from which it is a piece of it. */
const INSIDE = 0.5;
/** Share of a status name's box, from its right end, that the box of its value may start inside. */
const NAME_OVERLAP = 0.5;
/** Widest gap between a status name and the box after it, in the lower box height, for a value on the same row. */
const NEXT_GAP = 1.2;

const compact = (t: string): string => t.replace(/[\s.:-]+/g, '').toUpperCase();

/** Share of the lower box's height by which it may stick out of the taller one and still stand inside its span. */
const SPAN_SLACK = 0.15;

/**
 * True when the two boxes stand on one row of text: their middles within half the lower height, heights alike; or the
 * lower box lies within the taller one's span, at least half its height. A detector box around a glaring display's
 * name may take in the window's margins (PrES boxed 107 pixels high, the value after it, 1.1, 64 pixels inside that).
 */
export function sameRow(a: Bounds, b: Bounds): boolean {
  const [lo, hi] = a.height <= b.height ? [a, b] : [b, a];
  const h = lo.height, H = hi.height;
  if (H <= 1.6 * h && Math.abs(a.y + a.height / 2 - (b.y + b.height / 2)) <= 0.5 * h) return true;
  return H <= 2 * h && lo.y >= hi.y - SPAN_SLACK * h && lo.y + h <= hi.y + H + SPAN_SLACK * h;
}

/**
 * True when `value` stands where a status name read alone (boxed at `name`) has its value: on the same row, starting
 * past the name's middle (a box over the value may take in the name's last letter) and at most NEXT_GAP box heights
 * after its end.
 */
export function rightAfterName(name: Bounds, value: Bounds): boolean {
  if (!sameRow(name, value)) return false;
  const gap = value.x - (name.x + name.width);
  return gap > -NAME_OVERLAP * name.width && gap <= NEXT_GAP * Math.min(name.height, value.height);
}

/** True when the line's raw reading starts with letters, fewer than the name has, then digits. */
function nameEndRead(line: PieceLine, name: string): boolean {
  const letters = /^\s*(\p{L}+)[\s:.-]*\d/u.exec(line.reading?.raw ?? line.raw ?? line.text)?.[1];
  return !!letters && letters.length < name.length;
}

/**
 * The status line (among `lines`) the alarm code `code`, read from `line`, is a piece of, or null: see above.
 */
export function statusOfPiece<L extends PieceLine>(line: L, code: string, lines: readonly L[]): L | null {
  const digits = code.replace(/\D+/g, '');
  for (const s of lines) {
    if (s === line || !s.reading || !statusByItself(s.reading)) continue;
    if (digits && coveredShare(line.box, s.box) > INSIDE) {
      const runs = [s.text, s.raw ?? '', s.reading.raw ?? ''].map(compact);
      if (runs.some((r) => r.length > compact(code).length && r.replace(/\D+/g, '').includes(digits))) return s;
    }
    if (!sameRow(line.box, s.box)) continue;
    const h = Math.min(line.box.height, s.box.height);
    // A status name read alone, the code's box after it on the same row: the name's value. The code's box may start
    // anywhere past the name's middle: a box over the value may take in the name's last letter (RUN 2087: RUN boxed
    // alone, and N 2087 on a box from the N on, made H 2087).
    if (s.reading.name && !s.reading.value) {
      if (rightAfterName(s.box, line.box)) return s;
      const gap = line.box.x - (s.box.x + s.box.width);
      // Earlier inside the name's box where the recogniser read letters before the digits there, fewer than the name
      // has: the box took in the name's end (RUN 2801: RUN boxed alone, a box from the U on read vn 2801, made OH 2801).
      const pastName = line.box.x + line.box.width > s.box.x + s.box.width;
      if (gap <= 0 && line.box.x > s.box.x && pastName && nameEndRead(line, s.reading.name)) return s;
    }
    // A value with its unit read alone (80%: statusByItself), the code's box right before it: the value's name.
    if (!s.reading.name) {
      const gap = s.box.x - (line.box.x + line.box.width);
      if (gap > -0.25 * line.box.width && gap <= NEXT_GAP * h) return s;
    }
  }
  return null;
}
