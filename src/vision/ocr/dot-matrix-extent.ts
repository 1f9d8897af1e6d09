// A dot-matrix line the detector found only in part. The text detector was
// trained on strokes; on a dot-matrix display it often fires on a few
// characters only (AL of AL169, ERR of ERR 62) and leaves the rest of the line
// as nothing or as separate boxes, so the code is read in pieces or not at all.
// The stroke pieces that stretch a segment line's box (line-extension.ts) do not
// help either: a dot is no stroke.
//
// A box that is a dot-matrix line (dot-matrix.ts) is therefore followed along
// its axis on the view with the dots joined into strokes: columns holding lit
// dots (as bright as the box's own, not the faint unlit dots of the rest of the
// matrix) continue the line while the dark gap before them is at most a space
// and a character wide, their lit dots lie in the box's text band, and the new
// part keeps the box's lattice: the dots of the part's plain crop keep a rhythm
// at about the box's pitch. A printed label beside the display, the bezel, glare
// or the next line above or below fail one of these and end the line there.
import type { RgbImage } from '../image.js';
import { widenBox } from './box-ends.js';
import { DOT_MATRIX_SCORE, dotMatrixLine, dotMatrixLineOfBox, isDotMatrix, joinDots, type DotMatrixLine } from './dot-matrix.js';
import { overlapsMostly } from './line-extension.js';
import { boxBounds, cropTextBox, type TextBox } from './text-boxes.js';

/** How far past each end the line is followed, in box heights. */
const REACH = 4;
/** Widest dark gap inside a line, in dot pitches (a space and a character: 6 pitches a cell, and the gap between cells). */
const MOST_GAP = 8;
/** A lit dot is at least this far from the background towards the box's lit dots (unlit dots of a module stay well under). */
const LIT = 0.5;
/** A part's lit dots must lie in the box's text band; at most this share of them outside it. */
const OUTSIDE_BAND = 0.15;
/** A part's own lattice: this share of the line's score, at a pitch within PITCH_RATIO of the line's. */
const PART_SCORE = 0.5, PITCH_RATIO = 1.35;
/** A part's lit dots over the gaps between them: at least this share of the box's own. */
const PART_CONTRAST = 0.5;
/** Unlit dots past the last lit one beyond which a box end is moved in, in pitches. */
const TRIM = 2;
/** A box that lies this much inside an extended one is a piece of its line. */
const COVERED = 0.7;
/** A run of lit dots at most this many pitches tall is a mark (a hyphen), not a character. */
const MARK_ROWS = 2.5;

/**
 * Every dot-matrix box extended over the rest of its line (see above); boxes the extension now covers are dropped
 * (their text is the extended box's). Other boxes are left as they are.
 */
export function extendDotMatrixBoxes(img: RgbImage, boxes: readonly TextBox[], grow = true): TextBox[] {
  const out = boxes.map((b) => extendDotMatrixBox(img, b, grow));
  const grown = out.flatMap((e, i) => (e !== boxes[i] ? [i] : []));
  if (!grown.length) return out;
  // A box the extension now covers mostly is a piece of that line (a tilted box's bounds grow as it lengthens, so
  // the pieces are not of one height with it any more); of two pieces grown over each other the first stays.
  const area = out.map((b) => { const r = boxBounds(b); return r.width * r.height; });
  return out.filter((b, j) => !grown.some((i) => i !== j && (area[i]! > area[j]! || (area[i] === area[j] && i < j)) && overlapsMostly(out[i]!, b, COVERED)));
}

/**
 * The box stretched along its axis over the rest of its dot-matrix line (only where `grow`), and its ends that hold
 * only unlit dots cut off; the same box when it is no dot-matrix line or its ends are right.
 */
export function extendDotMatrixBox(img: RgbImage, box: TextBox, grow = true): TextBox {
  const [tl, tr, , bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 4 || bh < 4 || bh >= 1.5 * bw) return box;
  const d = dotMatrixLineOfBox(img, box);
  if (!isDotMatrix(d)) return box;
  // Widen only as far as the image goes (a crop past its edge repeats the edge pixels).
  const xs = box.points.map((p) => p[0]);
  const ux = (tr[0] - tl[0]) / bw;
  const roomLeft = Math.max(0, Math.min(...xs)) / Math.max(0.1, ux), roomRight = Math.max(0, img.width - Math.max(...xs)) / Math.max(0.1, ux);
  const left = Math.min(REACH * bh, roomLeft), right = Math.min(REACH * bh, roomRight);
  if (left < d.pitch && right < d.pitch) return box;
  const wide = widenBox(widenBox(box, true, false, left / bh), false, true, right / bh);
  const plain = cropTextBox(img, wide);
  const lit = litColumns(joinDots(plain, d), d, Math.round(left), Math.round(left + bw));
  if (!lit) return box;
  const { runs, own } = lit;
  // Lit dots stand out from the gaps between them as the box's own do; glare over the unlit dots lights the gaps too.
  const ownContrast = contrast(plain, d, own.x0, own.x1, own.y0, own.y1);
  const keeps = (r: Run): boolean => {
    if (r.outside > OUTSIDE_BAND * r.dots || contrast(plain, d, r.x0, r.x1, r.y0, r.y1) < PART_CONTRAST * ownContrast) return false;
    const part = cropColumns(plain, r.x0 - d.pitch, r.x1 + d.pitch);
    const pd = part ? dotMatrixLine(part) : null;
    return !!pd && pd.score >= Math.max(PART_SCORE * d.score, 0.5 * DOT_MATRIX_SCORE) && pd.polarity === d.polarity
      && Math.max(pd.pitch, d.pitch) <= PITCH_RATIO * Math.min(pd.pitch, d.pitch);
  };
  // A mark (a hyphen: one row of dots, no rhythm down) joins only with the character after it.
  const mark = (r: Run): boolean => r.y1 - r.y0 <= MARK_ROWS * d.pitch && r.outside <= OUTSIDE_BAND * r.dots;
  const follow = (side: -1 | 1): number => {
    let end = side > 0 ? own.x1 : own.x0, bridge = end;
    const ahead = runs.filter((r) => (side > 0 ? r.x1 > own.x1 : r.x0 < own.x0)).sort((a, b) => side * (a.x0 - b.x0));
    for (const r of ahead) {
      if ((side > 0 ? r.x0 - bridge : bridge - r.x1) > MOST_GAP * d.pitch) break;
      if (mark(r)) { bridge = side > 0 ? r.x1 : r.x0; continue; }
      if (!keeps(r)) break;
      end = bridge = side > 0 ? Math.max(end, r.x1) : Math.min(end, r.x0);
    }
    return end;
  };
  const x0 = follow(-1), x1 = follow(1);
  // Lit dots half a pitch past an end move it out, to a pitch of margin around them (the box's own may reach past an
  // end too: a character it cut). An end with only unlit dots for more than TRIM pitches past the last lit dot moves
  // in to that margin: the recogniser reads a module's unlit cells as characters (AL169 as AL16970).
  const m = d.pitch;
  const s0 = grow && x0 < left - 0.5 * m ? x0 - m - left : own.x0 - m - left > TRIM * m ? own.x0 - m - left : 0;
  const s1 = grow && x1 > left + bw + 0.5 * m ? x1 + m - (left + bw) : left + bw - (own.x1 + m) > TRIM * m ? own.x1 + m - (left + bw) : 0;
  if (!s0 && !s1) return box;
  return widenBox(widenBox(box, true, false, -s0 / bh), false, true, s1 / bh);
}

interface Run { x0: number; x1: number; y0: number; y1: number; dots: number; outside: number }

/**
 * The runs of columns of the joined crop that hold lit dots (gaps under a pitch bridged), and the extent of the
 * box's own lit columns (crop columns from..to); null when the box shows no lit dots.
 */
function litColumns(joined: RgbImage, d: DotMatrixLine, from: number, to: number): { runs: Run[]; own: Omit<Run, 'dots' | 'outside'> } | null {
  const { width: w, height: h, data } = joined;
  const v = new Float32Array(w * h);
  for (let i = 0; i < w * h; i++) {
    const g = 0.299 * data[3 * i]! + 0.587 * data[3 * i + 1]! + 0.114 * data[3 * i + 2]!;
    v[i] = d.polarity === 'bright' ? g : 255 - g;
  }
  // The box's background and its lit dots: the median and a high percentile of its own pixels.
  const inBox: number[] = [];
  for (let y = 0; y < h; y++) for (let x = Math.max(0, from); x < Math.min(w, to); x++) inBox.push(v[y * w + x]!);
  if (inBox.length < 16) return null;
  inBox.sort((a, b) => a - b);
  const bg = inBox[inBox.length >> 1]!, high = inBox[Math.floor(0.97 * (inBox.length - 1))]!;
  if (high - bg < 8) return null;
  const thr = bg + LIT * (high - bg);
  const minRun = Math.max(1, 0.5 * d.pitch);
  // The text band: rows where the box's own lit pixels lie.
  const rowLit = new Float64Array(h);
  for (let y = 0; y < h; y++) for (let x = Math.max(0, from); x < Math.min(w, to); x++) if (v[y * w + x]! > thr) rowLit[y]!++;
  const total = rowLit.reduce((s, n) => s + n, 0);
  if (total <= 0) return null;
  let acc = 0, b0 = 0, b1 = h - 1;
  for (let y = 0; y < h; y++) { acc += rowLit[y]!; if (acc <= 0.02 * total) b0 = y + 1; if (acc < 0.98 * total) b1 = y + 1; }
  const band: [number, number] = [Math.max(0, b0 - 0.5 * d.pitch), Math.min(h - 1, b1 + 0.5 * d.pitch)];
  // Columns with lit dots: at least half a dot's height of lit pixels.
  const dots = new Float64Array(w), outside = new Float64Array(w), top = new Float64Array(w).fill(h), bottom = new Float64Array(w).fill(-1);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      if (v[y * w + x]! <= thr) continue;
      if (y >= band[0] && y <= band[1]) dots[x]!++;
      else outside[x]!++;
      top[x] = Math.min(top[x]!, y);
      bottom[x] = y;
    }
  }
  // Runs of lit columns, a dark gap under a pitch bridged; a run across one of the box's ends is cut there, so what
  // lies past the end is judged as a part of its own (glare that goes on from the last character is none).
  const spans: Array<[number, number]> = [];
  let start = -1, last = -1;
  for (let x = 0; x <= w; x++) {
    if (x < w && dots[x]! + outside[x]! >= minRun) {
      if (start < 0) start = x;
      last = x;
    } else if (start >= 0 && (x - last > d.pitch || x === w)) {
      for (const [a, b] of [[start, Math.min(last + 1, from)], [Math.max(start, from), Math.min(last + 1, to)], [Math.max(start, to), last + 1]] as const) {
        if (b > a) spans.push([a, b]);
      }
      start = -1;
    }
  }
  const runs = spans.map(([x0, x1]): Run => {
    const r: Run = { x0, x1, y0: h, y1: 0, dots: 0, outside: 0 };
    for (let x = x0; x < x1; x++) {
      if (bottom[x]! < 0) continue;
      r.y0 = Math.min(r.y0, top[x]!);
      r.y1 = Math.max(r.y1, bottom[x]! + 1);
      r.dots += dots[x]!;
      r.outside += outside[x]!;
    }
    return r;
  });
  const mine = runs.filter((r) => r.x0 >= from && r.x1 <= to);
  if (!mine.length) return null;
  const own = { x0: Math.min(...mine.map((r) => r.x0)), x1: Math.max(...mine.map((r) => r.x1)), y0: Math.min(...mine.map((r) => r.y0)), y1: Math.max(...mine.map((r) => r.y1)) };
  return { runs: runs.filter((r) => !mine.includes(r)), own };
}

/** The spread of the light (towards the ink) over the region x0..x1, y0..y1 of a crop: its 95th less its 25th percentile. */
function contrast(img: RgbImage, d: DotMatrixLine, x0: number, x1: number, y0: number, y1: number): number {
  const v: number[] = [];
  for (let y = Math.max(0, Math.floor(y0)); y < Math.min(img.height, Math.ceil(y1)); y++) {
    for (let x = Math.max(0, Math.floor(x0)); x < Math.min(img.width, Math.ceil(x1)); x++) {
      const o = 3 * (y * img.width + x);
      const g = 0.299 * img.data[o]! + 0.587 * img.data[o + 1]! + 0.114 * img.data[o + 2]!;
      v.push(d.polarity === 'bright' ? g : 255 - g);
    }
  }
  if (v.length < 4) return 0;
  v.sort((a, b) => a - b);
  return v[Math.floor(0.95 * (v.length - 1))]! - v[Math.floor(0.25 * (v.length - 1))]!;
}

/** Columns x0..x1 of a crop (clipped to it); null when fewer than 8 remain. */
function cropColumns(img: RgbImage, x0: number, x1: number): RgbImage | null {
  const a = Math.max(0, Math.floor(x0)), b = Math.min(img.width, Math.ceil(x1));
  if (b - a < 8) return null;
  const w = b - a, out = new Float32Array(w * img.height * 3);
  for (let y = 0; y < img.height; y++) out.set(img.data.subarray(3 * (y * img.width + a), 3 * (y * img.width + b)), 3 * y * w);
  return { data: out, width: w, height: img.height };
}
