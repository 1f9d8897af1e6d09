// The illumination model of one segment-display line crop: which side of the
// background the strokes are on, what colour "lit" is, how much light each
// pixel shows above its own local background, and how much contrast glare left.
//
// Polarity: the crop's border rows and ends are background (glared or not);
// the pixels farthest from their median colour are strokes, or glare, which
// lies on the same (lighter) side for an LED. Taking the crop's overall median
// instead makes a large reflection "the background" and the display's dark
// corners "lit", and the line reads inverted.
// Stroke light: segments are strokes a few pixels thin; glare, backlight
// gradients and exposure are larger. A grey-level opening (bright strokes) or
// closing (dark strokes) wider than a stroke is each pixel's local background;
// the residual projected on the lit colour (the mean residual of the strongest
// stroke pixels) is the stroke's own light, 1 at the display's lit level.
// Gain: veiling glare also compresses contrast (a camera near white leaves a
// lit segment only a little above a glared background). The gain map estimates
// that compression from the local background's brightness against the
// display's unglared background: 1 there, towards 0 as the background nears
// white. segment-cells.ts divides stroke light by it, and a segment position
// whose gain is below JUDGEABLE_GAIN is not judged at all: it speaks for no
// glyph, so the lattice offers every glyph the cell's other segments allow.
import { columnExtremes, hasNaN, rowExtremes } from './window-extremes.js';
import type { RgbImage } from '../image.js';
import { hypot3 } from './hypot3.js';
import { kthSmallestOfNumbers, kthSmallestTyped } from './order-statistics.js';
import { streakLevels } from './streak-background.js';
import { glareOverDarkStrokes } from './glare-side.js';

export interface LineLight {
  /** Per-pixel stroke light along the lit colour: 0 at the local background, 1 at the display's lit level. */
  map: Float32Array;
  /** Length of the lit colour vector (0..441): the display's contrast where there is no glare. */
  contrast: number;
  /** 'bright': strokes lighter than the background (LED, inverted LCD); 'dark': darker (LCD). */
  polarity: 'bright' | 'dark';
  /** Per-pixel contrast left by glare and exposure, 0..1 (1: as the display's clearest part). */
  gain: Float32Array;
}

/** Below this gain a segment's state is not judged (glare leaves about a tenth of the contrast). */
export const JUDGEABLE_GAIN = 0.12;
/** Grey levels above white assumed for the roll-off of highlights. */
const HEADROOM = 24;

/**
 * Sliding-window minimum or maximum (radius r) along rows or columns, in O(n) with a monotonic queue of
 * positions (van Herk's idea in its queue form): each value enters and leaves the queue once. Used where the values
 * hold a NaN; otherwise window-extremes.ts gives the same answers by blocks.
 */
function filter1(src: Float32Array, w: number, h: number, r: number, horizontal: boolean, max: boolean, out = new Float32Array(w * h)): Float32Array {
  const len = horizontal ? w : h, lines = horizontal ? h : w;
  // The queue holds each position with its value (no read back through the position); grown once, kept.
  if (queuePos.length < len) { queuePos = new Int32Array(len); queueVal = new Float32Array(len); }
  const qi = queuePos, qv = queueVal;
  const step = horizontal ? 1 : w;
  for (let l = 0; l < lines; l++) {
    const base = horizontal ? l * w : l;
    let head = 0, tail = 0;
    // Positions enter as the window's right edge reaches them; the front is the extreme of the window. (The max and
    // min loops are written out apart, without a comparison callback: the same queue, the same ties kept.)
    let next = 0;
    for (let p = 0; p < len; p++) {
      const right = p + r < len - 1 ? p + r : len - 1;
      if (max) {
        for (; next <= right; next++) {
          const v = src[base + next * step]!;
          while (tail > head && v >= qv[tail - 1]!) tail--;
          qi[tail] = next; qv[tail++] = v;
        }
      } else {
        for (; next <= right; next++) {
          const v = src[base + next * step]!;
          while (tail > head && v <= qv[tail - 1]!) tail--;
          qi[tail] = next; qv[tail++] = v;
        }
      }
      while (qi[head]! < p - r) head++;
      out[base + p * step] = qv[head]!;
    }
  }
  return out;
}
/** filter1's queue (positions and their values), module scratch: one filter at a time on the main thread. */
let queuePos = new Int32Array(0), queueVal = new Float32Array(0);
/**
 * The row pass's result, read only by the column pass right after it: module scratch (grown, kept), so that a filter
 * allocates only the array it returns.
 */
let rowPass = new Float32Array(0);
const rowsThenColumns = (s: Float32Array, w: number, h: number, r: number, max: boolean, out = new Float32Array(w * h)): Float32Array => {
  if (rowPass.length < w * h) rowPass = new Float32Array(w * h);
  // By blocks (window-extremes.ts), where no NaN leaves the order to the queue's comparisons.
  if (hasNaN(s)) return filter1(filter1(s, w, h, r, true, max, rowPass.subarray(0, w * h)), w, h, r, false, max, out);
  return columnExtremes(rowExtremes(s, w, h, r, max, rowPass.subarray(0, w * h)), w, h, r, max, out);
};
export const minFilter = (s: Float32Array, w: number, h: number, r: number): Float32Array => rowsThenColumns(s, w, h, r, false);
export const maxFilter = (s: Float32Array, w: number, h: number, r: number): Float32Array => rowsThenColumns(s, w, h, r, true);
/** The first filter's result of an opening or closing, read only by the second: module scratch (grown, kept). */
let firstPass = new Float32Array(0);
/** maxFilter(minFilter(v)) (an opening) when `bright`, else minFilter(maxFilter(v)) (a closing): the same values. */
function openOrClose(v: Float32Array, w: number, h: number, r: number, bright: boolean): Float32Array {
  if (firstPass.length < w * h) firstPass = new Float32Array(w * h);
  return rowsThenColumns(rowsThenColumns(v, w, h, r, !bright, firstPass.subarray(0, w * h)), w, h, r, bright);
}
function quantileOf(values: Float32Array, q: number): number {
  return kthSmallestTyped(values, Math.min(values.length - 1, Math.max(0, Math.floor(q * (values.length - 1)))));
}

/**
 * Which side strokes are on: the crop's border (its top and bottom rows, its ends) is background, glare or not;
 * the colours farthest from the border's median colour are strokes (or glare, which is larger than them but
 * on the same side of the background: lamps add light). Brighter than the background: 'bright'.
 */
function strokePolarity(data: Float32Array, w: number, h: number): 'bright' | 'dark' | null {
  const mx = Math.max(1, Math.round(0.08 * h)), my = Math.max(1, Math.round(0.1 * h));
  const lum = (i: number): number => 0.299 * data[3 * i]! + 0.587 * data[3 * i + 1]! + 0.114 * data[3 * i + 2]!;
  // The border's values per channel, in the order of a scan of its rows, in typed arrays (no growing JS arrays) of
  // the border's size: the crop less its inner rows and columns.
  const border = w * h - Math.max(0, h - 2 * my) * Math.max(0, w - 2 * mx);
  const all = [new Float32Array(border), new Float32Array(border), new Float32Array(border)] as const;
  let count = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (y >= my && y < h - my && x >= mx && x < w - mx) continue;
      for (let c = 0; c < 3; c++) all[c][count] = data[3 * (y * w + x) + c]!;
      count++;
    }
  }
  // (Each channel's values are selected in place: they are not read again.)
  const bg = all.map((v) => kthSmallestOfNumbers(v.subarray(0, count), count >> 1, true));
  const n = w * h;
  const dist = new Float32Array(n);
  for (let i = 0; i < n; i++) dist[i] = hypot3(data[3 * i]! - bg[0]!, data[3 * i + 1]! - bg[1]!, data[3 * i + 2]! - bg[2]!);
  const far = quantileOf(dist, 0.97);
  if (far < 12) return null;
  const bgLum = 0.299 * bg[0]! + 0.587 * bg[1]! + 0.114 * bg[2]!;
  let up = 0, down = 0;
  for (let i = 0; i < n; i++) {
    if (dist[i]! < 0.8 * far) continue;
    if (lum(i) >= bgLum) up++;
    else down++;
  }
  if (up < down) return 'dark';
  // Lighter far pixels with darker ones among them: a white glare patch over an LCD's dark strokes is farther in
  // colour from a tinted background than the strokes are (glare-side.ts tells a wide white patch from strokes).
  if (down === 0) return 'bright';
  const lums = new Float32Array(n), voted = new Uint8Array(n);
  for (let i = 0; i < n; i++) { lums[i] = lum(i); voted[i] = dist[i]! >= 0.8 * far ? 1 : 0; }
  const r = backgroundRadius(h);
  return glareOverDarkStrokes(data, lums, voted, bgLum, openOrClose(lums, w, h, r, true), openOrClose(lums, w, h, r, false)) ? 'dark' : 'bright';
}

/** Radius of the opening or closing that gives a pixel's local background: wider than a stroke, narrower than a glyph. */
const backgroundRadius = (h: number): number => Math.max(2, Math.round(h * 0.12));

/**
 * Models already made, by crop: a line in doubt is modelled for its lit view (lit-view.ts) and again by the segment
 * reader (segment-cells.ts); neither writes into the model.
 */
const made = new WeakMap<RgbImage, LineLight | null>();
/** Models made with glare streaks taken as background (streak-background.ts), by crop. */
const madeStreakless = new WeakMap<RgbImage, LineLight | null>();

/** The crop's colour planes, each row-major. */
function planes(img: RgbImage): Float32Array[] {
  const n = img.width * img.height;
  return [0, 1, 2].map((c) => {
    const v = new Float32Array(n);
    for (let i = 0; i < n; i++) v[i] = img.data[3 * i + c]!;
    return v;
  });
}

/**
 * The line's illumination model (null when the crop is too small or shows no strokes). With `streaksAsBackground`,
 * the light of straight bands crossing the whole crop (glare streaks) is background, not stroke light; a crop with
 * no such band, or with dark strokes (whose background keeps a bright band already), has the plain model.
 */
export function lineLight(img: RgbImage, streaksAsBackground = false): LineLight | null {
  const cache = streaksAsBackground ? madeStreakless : made;
  if (cache.has(img)) return cache.get(img)!;
  let light: LineLight | null;
  if (!streaksAsBackground) light = modelLight(img, null);
  else {
    light = lineLight(img);
    const streaks = light?.polarity === 'bright' ? streakLevels(planes(img), img.width, img.height) : null;
    if (streaks) light = modelLight(img, streaks);
  }
  cache.set(img, light);
  return light;
}

/** The model; `streaks`, where given, is each channel's streak level (streak-background.ts), taken as background. */
function modelLight(img: RgbImage, streaks: readonly Float32Array[] | null): LineLight | null {
  const { width: w, height: h, data } = img;
  const n = w * h;
  if (n < 64) return null;
  const polarity = strokePolarity(data, w, h);
  if (!polarity) return null;
  // Each pixel's local background: an opening (bright strokes) or closing (dark ones) wider than a stroke.
  const r = backgroundRadius(h);
  const chan = planes(img);
  const bg = chan.map((v) => openOrClose(v, w, h, r, polarity === 'bright'));
  // A bright streak narrower than the opening is left in the strokes; taken from them here. (Dark strokes' closing
  // already keeps a bright band in the background.)
  if (streaks && polarity === 'bright') {
    streaks.forEach((level, c) => {
      const b = bg[c]!;
      for (let i = 0; i < n; i++) if (level[i]! > b[i]!) b[i] = level[i]!;
    });
  }
  const res = chan.map((v, c) => {
    const b = bg[c]!, out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = v[i]! - b[i]!;
    return out;
  }) as [Float32Array, Float32Array, Float32Array];
  const mag = new Float32Array(n);
  for (let i = 0; i < n; i++) mag[i] = hypot3(res[0][i]!, res[1][i]!, res[2][i]!);
  // The lit colour relative to the background: the mean residual of the strongest stroke pixels.
  const far = quantileOf(mag, 0.97);
  const d = [0, 0, 0];
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (mag[i]! < 0.7 * far) continue;
    for (let c = 0; c < 3; c++) d[c]! += res[c]![i]!;
    k++;
  }
  for (let c = 0; c < 3; c++) d[c] = d[c]! / Math.max(1, k);
  const norm2 = d[0]! * d[0]! + d[1]! * d[1]! + d[2]! * d[2]!;
  if (norm2 < 12 * 12) return null;
  const map = new Float32Array(n);
  for (let i = 0; i < n; i++) map[i] = Math.max(0, (res[0][i]! * d[0]! + res[1][i]! * d[1]! + res[2][i]! * d[2]!) / norm2);
  // The gain glare leaves: how far the local background is from white, against the display's unglared background.
  const lum = new Float32Array(n);
  for (let i = 0; i < n; i++) lum[i] = 0.299 * bg[0]![i]! + 0.587 * bg[1]![i]! + 0.114 * bg[2]![i]!;
  // The display's unglared background: the darker part of the middle rows (the text's, not the bezel's).
  const ref = quantileOf(lum.subarray(Math.floor(0.2 * h) * w, Math.ceil(0.8 * h) * w), 0.2);
  const gain = new Float32Array(n);
  // Headroom above white (a camera's highlights roll off rather than clip): an evenly over-exposed display keeps
  // gain 1 (its contrast is low everywhere, which the line's own level handles), and only glare brighter than the
  // display's own background lowers it.
  const top = 255 + HEADROOM;
  for (let i = 0; i < n; i++) gain[i] = Math.min(1, Math.max(0, (top - lum[i]!) / (top - ref)));
  return { map, contrast: Math.sqrt(norm2), polarity, gain };
}
