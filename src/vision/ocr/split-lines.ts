// A display line the detector found as two boxes. A segment font leaves a wide
// space between a code's letters and its number (ERR   83), wider than the
// detector's box merge bridges (text-boxes.ts mergeLineBoxes), and each part
// read alone means nothing: ERR is a word, 83 a bare number. When two lines
// stand level, of one height, close together, the left one letters only and the
// right one a bare number, and together they spell an alarm code or a named
// status under the grammar, they are one line. The left part's letters are
// taken as the line reads them, or else as the recogniser read them: the
// segment cells may have turned a printed-looking letter into another (FLT
// read as FLI), which spells nothing with the number while the recogniser's
// letters do; or as clear segment cells spell them where the recogniser's
// reading kept that part (a fourteen-segment A whose upper left corner is
// drawn round reads R: RLM, made REM, where the cells light ALM). On a tilted display the right part stands higher or lower than
// the left by the line's slope over the distance between them (FLT 40 on a
// tilted LCD: 40 a third of a height above FLT): the parts are compared level
// along that slope, where the detector's box gives it.
import type { Box } from '../image.js';
import type { LineGrammar } from './line-grammar.js';

/** What joining needs of a line read. */
export interface SplitLine {
  text: string;
  confidence: number;
  box: Box;
  raw?: string;
  reading?: ReturnType<LineGrammar['classifyText']>;
  segment?: number;
  /** The letters clear segment cells spell where the recogniser's reading kept the line (RLM read, cells ALM). */
  cellLetters?: { text: string; confidence: number };
}

/** Largest gap between the two parts, in line heights (about two glyph pitches). */
const MOST_GAP = 1.6;

/** Letters only (a segment font's wide pitch may read them spaced: F L T). */
export const LETTERS = /^[A-Za-z](?: ?[A-Za-z]){0,4}-?$/;

/** Steepest slope (rise over run) taken from a part's box as its line's slope. */
const MOST_SLOPE = 0.35;

/**
 * The lines with every split code or named status joined into one line (the left part keeps its place). `slope`: the
 * slope (rise over run, image y down) of a line's own detector box, where known. `may`: which two lines may be joined
 * at all (default any two).
 */
export function joinSplitLines<L extends SplitLine>(lines: readonly L[], grammar: LineGrammar, slope?: (line: L) => number | undefined,
  may: (left: L, right: L) => boolean = () => true): L[] {
  const out = [...lines];
  for (let i = 0; i < out.length; i++) {
    const a = out[i]!;
    // Each spelling with the confidence it is read at: the cells' letters at the cells' own (the recogniser's RLM made
    // REM by the grammar is unsure as a word, not as the cells' ALM).
    const read: Array<[string, number]> = [[a.text, a.confidence], [a.raw ?? a.text, a.confidence]];
    if (a.cellLetters) read.push([a.cellLetters.text, a.cellLetters.confidence]);
    const spellings = read.map(([t, c]): [string, number] => [t.trim(), c]).filter(([t], k, all) => LETTERS.test(t) && all.findIndex(([u]) => u === t) === k);
    if (!spellings.length) continue;
    let best = -1, bestGap = Infinity;
    out.forEach((b, j) => {
      if (j === i || !/^-?\d{1,4}$/.test(b.text.trim()) || !may(a, b)) return;
      const gap = partsGap(a.box, b.box, slope?.(a));
      if (gap !== null && gap < bestGap) { best = j; bestGap = gap; }
    });
    if (best < 0) continue;
    const b = out[best]!;
    const mid = between(out, a, b, slope?.(a));
    const digits = [...mid.map((m) => m.text.trim()), b.text.trim()].join(''), least = Math.min(b.confidence, ...mid.map((m) => m.confidence));
    const joined = spellings.map(([t, c]) => grammar.classifyText(`${t.replace(/\s+/g, '')} ${digits}`, Math.min(c, least)))
      .find((j) => j.kind === 'alarm' || (j.kind === 'status' && !!j.name));
    if (!joined) continue;
    const box = [...mid, b].reduce((u, m) => union(u, m.box), a.box);
    const raw = [a, ...mid, b].map((m) => m.raw ?? m.text).join(' ');
    const { cellLetters: _, ...kept } = a;
    out[i] = { ...kept as L, text: joined.text, confidence: joined.confidence, box, reading: { ...joined, raw }, segment: Math.max(a.segment ?? 0, b.segment ?? 0),
      ...(raw !== joined.text ? { raw } : {}) };
    for (const gone of [b, ...mid]) {
      const k = out.indexOf(gone);
      out.splice(k, 1);
      if (k < i) i--;
    }
  }
  return out;
}

/**
 * The bare numbers that stand between a line's two parts, left to right: a narrow glyph the detector boxed alone
 * (ALM 18 on a blurred dot display: ALM, the 1, and the 8 three boxes; the 1's box, half the line's height, is no
 * part of one height with ALM, and ALM joined the 8 over it as ALM 8). A part between is a box whose middle lies
 * in the gap and within a's height along the line's slope.
 */
function between<L extends SplitLine>(lines: readonly L[], a: L, b: L, slope = 0): L[] {
  const x0 = a.box.x + a.box.width, x1 = b.box.x;
  const rise = Math.abs(slope) <= MOST_SLOPE ? slope : 0;
  return lines.filter((m) => {
    if (m === a || m === b || !/^\d{1,4}$/.test(m.text.trim())) return false;
    const cx = m.box.x + m.box.width / 2, cy = m.box.y + m.box.height / 2 - rise * (cx - (a.box.x + a.box.width / 2));
    return cx > x0 && cx < x1 && cy > a.box.y && cy < a.box.y + a.box.height;
  }).sort((p, q) => p.box.x - q.box.x);
}

/**
 * The gap from a's right end to b's left end when b continues a's line to the right (level along the line's slope,
 * one height); else null.
 */
export function partsGap(a: Box, b: Box, slope = 0): number | null {
  const h = Math.min(a.height, b.height);
  if (Math.max(a.height, b.height) > 1.4 * h) return null;
  // Where b would stand on a's line: its height along the slope from a's centre to its own.
  const rise = Math.abs(slope) <= MOST_SLOPE ? slope * (b.x + b.width / 2 - (a.x + a.width / 2)) : 0;
  const overlap = Math.min(a.y + a.height, b.y - rise + b.height) - Math.max(a.y, b.y - rise);
  if (overlap < 0.7 * h) return null;
  const gap = b.x - (a.x + a.width);
  return gap >= -0.3 * h && gap <= MOST_GAP * h ? gap : null;
}

function union(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x), y = Math.min(a.y, b.y);
  return { x, y, width: Math.max(a.x + a.width, b.x + b.width) - x, height: Math.max(a.y + a.height, b.y + b.height) - y };
}

/**
 * The lines after a further look for the display (display-looks.ts), with a code or a named status split between a
 * line the look found and one read before joined: each look joins the parts among the boxes it read itself, but the
 * letters may come from the first pass and the number from a look (ERR read first, its 99 under glare found only by
 * the finer stroke search). Only pairs with a part the look found are joined (the lines read before were joined among
 * themselves, with their boxes' slopes); the lines as they were when the look found nothing.
 */
export function joinFoundParts<L extends SplitLine>(before: readonly L[], after: L[], grammar: LineGrammar): L[] {
  if (after === before) return after;
  const old = new Set(before);
  return joinSplitLines(after, grammar, undefined, (a, b) => !old.has(a) || !old.has(b));
}

/**
 * True when clear segment cells spell a word of two letters or more that differs from what the recogniser read there in
 * exactly one letter (ALM where it read RLM): one glyph the recogniser misread, the rest agreed. Such letters may join
 * a number (joinSplitLines). Cells that differ in more are as likely to misread the word themselves, and a single
 * letter is too little to tell a code's prefix from a unit or a word's remains.
 */
export function cellsNameOtherLetter(cells: string, read: string): boolean {
  const r = read.trim().toUpperCase();
  if (!/^\p{L}{2,}$/u.test(cells) || cells.length !== r.length) return false;
  return [...cells].filter((c, i) => c !== r[i]).length === 1;
}
