// Box ends that cut through a glyph. The detector's box (and its extension over
// stroke pieces, line-extension.ts) can stop inside the first or the last
// character of a line: a leading letter under glare, a narrow last digit. What
// the crop leaves out is never read (F69 read 69, AL9534 read AL95). Two cues
// say a box end cuts a glyph:
// - ink at the crop's end inside the text's band while the crop's margins
//   above and below are background there (a window's edge or a bezel runs the
//   whole height, a glyph does not);
// - the recogniser still emitting a character, surely, at its last step.
// Such a line is read again on a crop widened at that end; the wider reading
// is taken only when it completes the first one (the same characters and one
// or two more at that end) into a code or a status by itself. A bare number on
// a segment display is looked at too, with or without the dash that followed
// the letters: it may be a code whose letters the box left out (E128 read 128,
// C-98 read -98); there the wider reading must add letters, surely. A status
// value's end is looked at as well (RPM 431 read RPM 43, 116.1 read 16.1): the
// wider reading is taken there only as the same status with whole digits added
// to its value at the widened end (completesValue), never as an alarm.
import type { RgbImage } from '../image.js';
import type { Lattice } from './constrained-ctc.js';
import type { TextBox } from './text-boxes.js';
import { lineWidth } from './line-batch.js';
import { statusByItself, type LineReading } from './line-grammar.js';
import { bodyOnDots } from './dot-prefix.js';
import { completesTwins, type TwinDigits } from './twin-letters.js';

/** Share of the text band's rows with ink in the end columns for the end to count as cut. */
export const CUT_INK = 0.2;
/**
 * Least height (pixels) of a line's crop whose ends are judged at all. A shorter line's ends are never known not to
 * cut a word, so no alarm code is reported from it (analyzer.ts): the detector boxed AI of a pipe marker's AIR,
 * 8 pixels tall, and the recogniser read it A7, an alarm on a frame that showed a status.
 */
export const LEAST_JUDGED_HEIGHT = 10;
/** How far a cut end is widened (box heights). */
export const WIDEN = 0.7;
/** How far a bare number's box is widened to the left to look for a code's lost letters (box heights: a letter and a dash). */
const PREFIX_WIDEN = 1.5;
/**
 * How far it is widened on the second crop read with it: a three-letter prefix and its space (ERR 52 under a glare
 * spot, its box over 52 alone: at 1.5 box heights the crop ends inside the first R and reads ##52, at 2.0 Err 52).
 */
const PREFIX_WIDEST = 2.0;
/** Least confidence of the wider reading that gives a bare number a code's letters. */
const PREFIX_CONFIDENCE = 0.8;
/** Pixels of the recogniser's input (scaled to its height) per step of its output. */
export const STEP_PIXELS = 8;
/** Least confidence of any wider reading taken. */
const WIDER_CONFIDENCE = 0.5;

export function luminance(img: RgbImage, x: number, y: number): number {
  const o = (y * img.width + x) * 3;
  return 0.299 * img.data[o]! + 0.587 * img.data[o + 1]! + 0.114 * img.data[o + 2]!;
}

/** Which ends of a line crop cut through a glyph, judged from its ink (see the file comment). */
export function cutEnds(crop: RgbImage): { left: boolean; right: boolean } {
  const w = crop.width, h = crop.height;
  const inked = inkTest(crop);
  if (!inked) return { left: false, right: false };
  const side = (cols: number[]): boolean => {
    let band = 0, bandRows = 0, margin = 0, marginRows = 0;
    for (let y = 0; y < h; y++) {
      const ink = cols.some((x) => inked(x, y));
      if (y >= 0.25 * h && y < 0.75 * h) { bandRows++; if (ink) band++; }
      else if (y < 0.08 * h || y >= 0.92 * h) { marginRows++; if (ink) margin++; }
    }
    const inBand = band / Math.max(1, bandRows), inMargin = margin / Math.max(1, marginRows);
    return inBand >= CUT_INK && inMargin < 0.5 * inBand;
  };
  return { left: side([0, 1]), right: side([w - 1, w - 2]) };
}

/**
 * The ink test of a line crop's ends: background from the crop's top and bottom rows (the detector's margin around the
 * text), ink what differs from it by over half the crop's contrast; null for a crop too small or too faint to judge.
 */
function inkTest(crop: RgbImage): ((x: number, y: number) => boolean) | null {
  const w = crop.width, h = crop.height;
  if (w < 8 || h < LEAST_JUDGED_HEIGHT) return null;
  const edge: number[] = [];
  for (let x = 0; x < w; x++) edge.push(luminance(crop, x, 0), luminance(crop, x, h - 1));
  edge.sort((a, b) => a - b);
  const bg = edge[edge.length >> 1]!;
  const diffs: number[] = [];
  for (let y = 0; y < h; y += 2) for (let x = 0; x < w; x += 2) diffs.push(Math.abs(luminance(crop, x, y) - bg));
  diffs.sort((a, b) => a - b);
  const contrast = diffs[Math.floor(0.95 * (diffs.length - 1))]!;
  if (contrast < 30) return null;
  return (x, y) => Math.abs(luminance(crop, x, y) - bg) > 0.5 * contrast;
}

/** Most rows, as a share of the crop's height, of a dash's bar where the box's end cuts it. */
const DASH_ROWS = 0.2;

/**
 * True when all the ink the crop's left end cuts is one bar at the crop's middle, no taller than a dash: a code's
 * separator, its letters further left (a C-19 boxed from inside its dash, read 19). Such an end is read again for a
 * code's letters as an uncut bare number's is; a cut digit (an upright, a bar at the top or bottom) is not.
 */
export function dashCutAtLeft(crop: RgbImage): boolean {
  const h = crop.height, inked = inkTest(crop);
  if (!inked) return false;
  const rows: number[] = [];
  for (let y = 0; y < h; y++) if (inked(0, y) || inked(1, y)) rows.push(y);
  if (!rows.length) return false;
  const top = rows[0]!, bottom = rows[rows.length - 1]!, mid = (top + bottom) / 2;
  return rows.length === bottom - top + 1 && rows.length <= DASH_ROWS * h && mid > 0.35 * h && mid < 0.65 * h;
}

/**
 * True when the recogniser's last steps over the crop still emit a character surely (its reading runs into the
 * crop's end). A crop recognised in a batch with wider ones is padded to the widest: its lattice runs on over the
 * padding, where nothing is emitted, so its own last steps are those its scaled width gives (`width`, see
 * line-batch.ts lineWidth; the recogniser takes one step per STEP_PIXELS). Looking at the batch's last steps
 * missed every cut line but the batch's widest (F-51 read F-5 beside a wider line: its narrow 1 cut off).
 */
export function emitsAtEnd(l: Lattice, width?: number): boolean {
  const steps = width === undefined ? l.steps : Math.min(l.steps, Math.ceil(width / STEP_PIXELS));
  for (let t = Math.max(0, steps - 2); t < steps; t++) {
    const row = l.offset + t * l.classes;
    let best = 0, arg = 0;
    for (let c = 0; c < l.classes; c++) if (l.probs[row + c]! > best) { best = l.probs[row + c]!; arg = c; }
    if (arg > 0 && best >= 0.5) return true;
  }
  return false;
}

/** The box widened along its own axis by `by` box heights at the left and/or right end. */
export function widenBox(box: TextBox, left: boolean, right: boolean, by = WIDEN): TextBox {
  const [tl, tr, br, bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 1) return box;
  const ux = (tr[0] - tl[0]) / bw, uy = (tr[1] - tl[1]) / bw;
  const a = left ? by * bh : 0, b = right ? by * bh : 0;
  return { points: [[tl[0] - ux * a, tl[1] - uy * a], [tr[0] + ux * b, tr[1] + uy * b], [br[0] + ux * b, br[1] + uy * b], [bl[0] - ux * a, bl[1] - uy * a]], score: box.score };
}

const alnum = (s: string): number => s.replace(/[^\p{L}\p{N}]/gu, '').length;
/**
 * Characters the recogniser read as glyphs: letters and digits, and the filled signs it gives a glyph it cannot name
 * (a blurred F read #); not the strokes an edge or a streak gives (| / ( ) . -).
 */
const glyphs = (s: string): number => s.replace(/[^\p{L}\p{N}#*&%@$]/gu, '').length;
const compact = (s: string): string => s.replace(/[\s\-.:]/g, '').toUpperCase();
const lastDigits = (s: string): string => /(\d+)[^\p{L}\p{N}]*$/u.exec(s)?.[1] ?? '';
/**
 * True when the recogniser reads the digits it read at the line's end first, and more, on a crop widened at that end:
 * it saw a glyph there, though it read one letter elsewhere as a stroke it does not count (ERR 81 boxed short of its 1,
 * read Er-8; widened, E--81: its second R a dash, its letters and digits three and three).
 */
function moreDigitsAtEnd(before: string, after: string): boolean {
  const a = lastDigits(before), b = lastDigits(after);
  return a.length > 0 && b.length > a.length && b.startsWith(a);
}

/**
 * True when `wider` completes `first`: it holds the first reading's characters with one or two more at the widened
 * end(s) (a leading letter, a last digit), never fewer or others.
 */
export function completes(first: string, wider: string, left: boolean, right: boolean, prefix = false, widest = false): boolean {
  const a = compact(first), b = compact(wider);
  const extra = b.length - a.length;
  // The further widened crop (widestFor) is read for a three-letter prefix only: a letter or two more is the nearer
  // crop's to find, and on the further one it may be the tail of a status word beside the number (SET 1161's T).
  if (widest) return prefix && !!a && extra === 3 && b.endsWith(a) && /^\p{L}{3}$/u.test(b.slice(0, 3));
  if (a && extra >= 1 && extra <= 2 && (left && !right ? b.endsWith(a) : right && !left ? b.startsWith(a) : b.includes(a))) return true;
  // A bare number's lost prefix may be three letters (ERR, FLT, ALM), all ahead of the number; or, on this nearer
  // crop, a code's letters and the digits between them and the box: a glare streak over a letter stops the box at
  // the streak, and a digit standing between the streak and the box's glyphs may be left out with the letters
  // (AL712 read 12, its L under the streak). Letters first, then digits only: never a digit among the letters.
  if (prefix && a && extra === 3 && b.endsWith(a) && /^\p{L}+\d*$/u.test(b.slice(0, 3))) return true;
  // A box that starts inside a glyph leaves only its left upright, read 1 (F480 read 1480): the wider reading
  // completes the first when letters alone stand where that 1 was and the rest is the same.
  if (left && !right && a.length >= 3 && a[0] === '1') {
    const rest = a.slice(1);
    return b.endsWith(rest) && /^\p{L}{1,3}$/u.test(b.slice(0, b.length - rest.length));
  }
  return right && !left && uprightCompleted(a, b);
}

/**
 * True when `wider`, read on a crop widened at the right, is `first` with its last 1 a 0, 6 or 8. A display draws a 1
 * at the right of its cell, so a box that ends inside the last glyph leaves not a 1 but the glyph's left upright, read
 * 1; a digit drawn with its whole left upright stands where that 1 was (E76 on a dim LED under a glare spot, the
 * enhanced view's E71 with the catalog: read E76 widened at the right, refused as no more glyphs and no completion).
 */
function uprightCompleted(first: string, wider: string): boolean {
  const a = compact(first), b = compact(wider);
  return a.length >= 2 && b.length === a.length && a.endsWith('1') && b.startsWith(a.slice(0, -1)) && /[068]$/.test(b);
}

/** Which ends of a line to read again wider; `prefix`: a bare number's left end, widened further, for a code's letters. */
export interface EndReRead {
  left: boolean; right: boolean; prefix: boolean;
  /** the prefix is looked for by its dots (dot-prefix.ts) */ dots?: boolean;
  /** the wider crop's segment cells show the code's letters on their own light (proven-prefix.ts) */ cells?: boolean;
  /** a named status's value end (valueEndToReRead): only a completion of its value is taken */ status?: boolean;
  /** a code's letters read alone (letters-alone.ts): its right end, widened for a number, completes them only into a code */
  letters?: boolean;
  /** a code read as a word, its first digits as letter twins (twin-letters.ts): completed only into that code */
  twins?: TwinDigits;
  /** read again on the further crop (widestFor): what the nearer crop read, not taken there (a bare number's prefix weighs it) */
  nearer?: string;
}

/** Glyphs standing wholly past a line box's ends (ink-past-ends.ts). */
export interface PastEnds { left: boolean; right: boolean }

interface ReadLine { text: string; confidence: number; segment?: number; reading?: LineReading }

/**
 * The ends of a line to read again, or null: a line that may still be a code, whose crop cuts a glyph, whose
 * recogniser runs into the crop's end, or a bare number of two to four digits on a segment display (a marked value is
 * read whole); and a named status's value end (valueEndToReRead).
 */
export function endsToReRead(line: ReadLine, crop: RgbImage, lattice: Lattice, past?: () => PastEnds): EndReRead | null {
  const r = line.reading;
  if (r && r.kind === 'status' && r.name) return valueEndToReRead(r.value, crop, lattice, past);
  // A lone character is clutter more often than a code (a code has at least a letter and a digit, or two digits).
  if (!r || statusByItself(r) || !/\d/.test(line.text) || alnum(line.text) < 2) return null;
  const ends = cutEnds(crop);
  const right = ends.right || emitsAtEnd(lattice, lineWidth(crop));
  // A leading dash is a code's separator whose letters the box left out (C-98 read -98 with its C under glare), also
  // where the box's end cuts the dash (dashCutAtLeft).
  const prefix = (!ends.left || dashCutAtLeft(crop)) && (line.segment ?? 0) >= 0.5 && r.kind === 'status' && /^-?\d{2,4}$/.test(line.text.replace(/\s+/g, ''));
  if (ends.left || right || prefix) {
    // A dot-matrix body -NN (F-49 boxed over -49): its letters are looked for by their dots (dot-prefix.ts).
    if (!prefix && r.kind === 'status' && bodyOnDots(crop, line.text)) return { left: true, right, prefix: true, dots: true };
    // A box that cuts a glyph at its left end may still leave out a whole one past its right (a code's last 1, narrow
    // and apart: ERR 61 read ERR 6): the cut at one end says nothing of the other, which is looked at as when neither is cut.
    return { left: ends.left || prefix, right: right || (ends.left && !prefix && !!past?.().right), prefix };
  }
  if (r.kind === 'status' && bodyOnDots(crop, line.text)) return { left: true, right: false, prefix: true, dots: true };
  // Neither end cuts a glyph: one may stand wholly past an end (ink-past-ends.ts), looked for only now.
  const beyond = past?.();
  return beyond && (beyond.left || beyond.right) ? { left: beyond.left, right: beyond.right, prefix: false } : null;
}

/**
 * A named status's value ends the line: a narrow last digit (a 1 drawn at its cell's right) may be cut by the box's
 * right end or stand wholly past it (RPM 431 read RPM 43). Only the right end is read again, and only where the value
 * ends in a digit (a unit or a % after it is read whole, or the unit would be the glyph looked for).
 */
function valueEndToReRead(value: string | undefined, crop: RgbImage, lattice: Lattice, past?: () => PastEnds): EndReRead | null {
  if (!value || !/\d$/.test(value)) return null;
  if (cutEnds(crop).right || emitsAtEnd(lattice, lineWidth(crop)) || past?.().right) return { left: false, right: true, prefix: false, status: true };
  return null;
}

/**
 * True when the wider reading of a status completes it with whole digits: the same name (a status stays the status it
 * was, never an alarm), the value read first kept as it was and one or two digits added at the widened end, nothing
 * else changed (116.1 for 16.1 at the left, RPM 431 for RPM 43 at the right).
 */
export function completesValue(before: LineReading, after: LineReading, left: boolean, right: boolean): boolean {
  if (before.kind !== 'status' || after.kind !== 'status' || (after.name ?? '') !== (before.name ?? '')) return false;
  const a = before.value ?? '', b = after.value ?? '';
  if (!/\d/.test(a) || b.length - a.length < 1 || b.length - a.length > 2) return false;
  // Digits only before the value (where the left end was widened) and after it (where the right end was).
  for (let i = b.indexOf(a); i >= 0; i = b.indexOf(a, i + 1)) {
    const head = b.slice(0, i), tail = b.slice(i + a.length);
    if ((left || !head) && (right || !tail) && /^\d*$/.test(head) && /^\d*$/.test(tail)) return true;
  }
  return false;
}

/** The box to read again, widened at the ends `e` names. */
export function widenedFor(box: TextBox, e: EndReRead): TextBox {
  if (e.letters) return widenBox(box, false, true, PREFIX_WIDEN);
  return e.prefix ? widenBox(widenBox(box, false, e.right), true, false, PREFIX_WIDEN) : widenBox(box, e.left, e.right);
}

/** Most digits a code's number has (letters-alone.ts: the number a code's letters read alone are completed with). */
const MOST_DIGITS = 4;

/** True when `wider` spells the letters read first, unchanged, followed by a number alone (a dash or space between). */
export function completesLetters(first: string, wider: string): boolean {
  const a = first.replace(/[\s-]/g, '').toUpperCase(), b = wider.replace(/[\s-]/g, '').toUpperCase();
  return !!a && b.startsWith(a) && new RegExp(`^\\d{1,${MOST_DIGITS}}$`).test(b.slice(a.length));
}

/** For a bare number's left end (`prefix`), the further widened box read with widenedFor's, for a longer prefix; else null. */
export function widestFor(box: TextBox, e: EndReRead): TextBox | null {
  if (e.letters) return widenBox(box, false, true, PREFIX_WIDEST);
  return e.prefix ? widenBox(widenBox(box, false, e.right), true, false, PREFIX_WIDEST) : null;
}

/**
 * True when the wider reading replaces the first: the recogniser reading more characters there, a code or a status by itself, an alarm still where the first was
 * one, completing the first at the widened end; for a bare number, a code with letters read surely ahead of it. `widest`: the
 * reading is of widestFor's crop, which may only add a three-letter prefix.
 */
export function takesWider(before: ReadLine, after: ReadLine, e: EndReRead, recognised: { before: string; after: string }, widest = false): boolean {
  // The recogniser must see more characters on the wider crop too: a character only the segment cells find there is
  // as likely the window's edge or glare past the line's end (E-646 read E-6461).
  const rightOnly = e.right && !e.left;
  if (glyphs(recognised.after) <= glyphs(recognised.before)
    && !(rightOnly && (moreDigitsAtEnd(recognised.before, recognised.after) || uprightCompleted(recognised.before, recognised.after)))) return false;
  const r = after.reading;
  // A code read as a word (twin-letters.ts): only its letters with the number its cells began, as a code.
  if (e.twins) return r?.kind === 'alarm' && after.confidence >= WIDER_CONFIDENCE && completesTwins(e.twins, after.text);
  // A code's letters read alone: only those letters with a number after them, as a code.
  if (e.letters) return r?.kind === 'alarm' && after.confidence >= WIDER_CONFIDENCE && completesLetters(before.text, after.text);
  // A named status's value end, or a bare value whose wider reading is a value too: whole digits added to its value.
  // Not at a bare number's left end widened for a code's letters (prefix): what that far reach finds is as likely
  // another line's digit beside it (FLT 40 split in two: 40 read 740 there).
  const value = !widest && !!before.reading && r?.kind === 'status' && after.confidence >= WIDER_CONFIDENCE && completesValue(before.reading, r, e.left && !e.prefix, e.right);
  if (e.status) return value;
  if (value && !statusByItself(r)) return true;
  if (!r || (r.kind !== 'alarm' && !statusByItself(r)) || after.confidence < WIDER_CONFIDENCE) return false;
  if (before.reading?.kind === 'alarm' && r.kind !== 'alarm') return false;
  // The further crop reading the very code the nearer crop read for a bare number's letters, there too unsure to be
  // taken (C-93 on an over-exposed LCD boxed as 93: C-93 at 0.71 on the nearer crop, at 0.98 on the further one): two
  // crops agree where the letter is, the further one sure of it, so its one or two letters complete the number as the
  // nearer crop's would. A status word's tail on the further crop (SET 1161's T) is read with more of the word there.
  const agreed = widest && e.prefix && e.nearer !== undefined && compact(e.nearer) === compact(after.text);
  if (!completes(before.text, after.text, e.left, e.right, e.prefix, widest && !agreed)) return false;
  // Letters a dot-matrix line's cells (dot-prefix.ts) or segment cells (proven-prefix.ts) name are found there, however unsure the recogniser was.
  return !e.prefix || (r.kind === 'alarm' && (e.dots || e.cells || after.confidence >= PREFIX_CONFIDENCE) && /^[A-Z]{1,3}-?\d/i.test(after.text.replace(/\s+/g, '')));
}
