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
import { DOT_MATRIX_SCORE, dotMatrixLine, isDotMatrix, joinDots, type DotMatrixLine } from './dot-matrix.js';
import { joinOverlapping } from './line-extension.js';
import { cropTextBox, type TextBox } from './text-boxes.js';

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

/**
 * Every dot-matrix box extended over the rest of its line (see above); boxes the extension now covers are joined
 * into it. Other boxes are left as they are.
 */
export function extendDotMatrixBoxes(img: RgbImage, boxes: readonly TextBox[]): TextBox[] {
  let changed = false;
  const out = boxes.map((b) => {
    const e = extendDotMatrixBox(img, b);
    if (e !== b) changed = true;
    return e;
  });
  return changed ? joinOverlapping(out) : out;
}

/** The box stretched along its axis over the rest of its dot-matrix line; the same box when it is none or nothing continues it. */
export function extendDotMatrixBox(img: RgbImage, box: TextBox): TextBox {
  const [tl, tr, , bl] = box.points;
  const bw = Math.hypot(tr[0] - tl[0], tr[1] - tl[1]), bh = Math.hypot(bl[0] - tl[0], bl[1] - tl[1]);
  if (bw < 4 || bh < 4 || bh >= 1.5 * bw) return box;
  const d = dotMatrixLine(cropTextBox(img, box));
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
  const keeps = (r: Run): boolean => {
    if (r.outside > OUTSIDE_BAND * r.dots) return false;
    const part = cropColumns(plain, r.x0 - d.pitch, r.x1 + d.pitch);
    const pd = part ? dotMatrixLine(part) : null;
    return !!pd && pd.score >= Math.max(PART_SCORE * d.score, 0.5 * DOT_MATRIX_SCORE) && pd.polarity === d.polarity
      && Math.max(pd.pitch, d.pitch) <= PITCH_RATIO * Math.min(pd.pitch, d.pitch);
  };
  let x0 = own.x0, x1 = own.x1;
  for (const r of runs.filter((r) => r.x1 > own.x1).sort((a, b) => a.x0 - b.x0)) {
    if (r.x0 - x1 > MOST_GAP * d.pitch || !keeps(r)) break;
    x1 = Math.max(x1, r.x1);
  }
  for (const r of runs.filter((r) => r.x0 < own.x0).sort((a, b) => b.x1 - a.x1)) {
    if (x0 - r.x1 > MOST_GAP * d.pitch || !keeps(r)) break;
    x0 = Math.min(x0, r.x0);
  }
  // A pitch of margin around the lit dots (the box's own may reach past its end too: a character it cut).
  const m = d.pitch;
  const s0 = Math.min(0, x0 - m - left), s1 = Math.max(0, x1 + m - (left + bw));
  if (s0 > -0.5 * m && s1 < 0.5 * m) return box;
  return widenBox(widenBox(box, true, false, -s0 / bh), false, true, s1 / bh);
}

interface Run { x0: number; x1: number; dots: number; outside: number }

/**
 * The runs of columns of the joined crop that hold lit dots (gaps under a pitch bridged), and the extent of the
 * box's own lit columns (crop columns from..to); null when the box shows no lit dots.
 */
function litColumns(joined: RgbImage, d: DotMatrixLine, from: number, to: number): { runs: Run[]; own: { x0: number; x1: number } } | null {
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
  const bg = inBox[inBox.length >> 1]!, top = inBox[Math.floor(0.97 * (inBox.length - 1))]!;
  if (top - bg < 8) return null;
  const thr = bg + LIT * (top - bg);
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
  const dots = new Float64Array(w), outside = new Float64Array(w);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      if (v[y * w + x]! <= thr) continue;
      if (y >= band[0] && y <= band[1]) dots[x]!++;
      else outside[x]!++;
    }
  }
  const runs: Run[] = [];
  let cur: Run | null = null, dark = 0;
  for (let x = 0; x <= w; x++) {
    const on = x < w && dots[x]! + outside[x]! >= minRun;
    if (on) {
      if (!cur) cur = { x0: x, x1: x + 1, dots: 0, outside: 0 };
      cur.x1 = x + 1;
      cur.dots += dots[x]!;
      cur.outside += outside[x]!;
      dark = 0;
    } else if (cur && (++dark > d.pitch || x === w)) {
      runs.push(cur);
      cur = null;
    }
  }
  const mine = runs.filter((r) => r.x1 > from && r.x0 < to);
  if (!mine.length) return null;
  const own = { x0: Math.min(...mine.map((r) => r.x0)), x1: Math.max(...mine.map((r) => r.x1)) };
  return { runs: runs.filter((r) => !mine.includes(r)), own };
}

/** Columns x0..x1 of a crop (clipped to it); null when fewer than 8 remain. */
function cropColumns(img: RgbImage, x0: number, x1: number): RgbImage | null {
  const a = Math.max(0, Math.floor(x0)), b = Math.min(img.width, Math.ceil(x1));
  if (b - a < 8) return null;
  const w = b - a, out = new Float32Array(w * img.height * 3);
  for (let y = 0; y < img.height; y++) out.set(img.data.subarray(3 * (y * img.width + a), 3 * (y * img.width + b)), 3 * y * w);
  return { data: out, width: w, height: img.height };
}
