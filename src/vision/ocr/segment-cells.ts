// Reading a seven- or fourteen-segment display cell by cell from the pixels of
// its text crop. segment-light.ts gives each pixel's stroke light (LED, LCD and
// inverted displays alike, glare and gradients removed, contrast restored by
// the glare's gain); each pixel is then measured against the brightest ink
// near it and each cell against its own lit level, so faint unlit ("ghost")
// segments stay unlit. Italic fonts are sheared upright; columns of ink split
// the line into cells (a narrow tall stroke is a 1, a short one in the middle
// a dash, a dot at the bottom a decimal point). Each cell's segment positions
// are sampled along their bars (segment-sampling.ts) and scored 0..1, NaN
// where glare left too little contrast to judge (segment-glyphs.ts turns them
// into the characters they can show); seven or fourteen segments is decided
// for the whole line (display-kind.ts). The band's ink per row and column is
// measured in segment-band-ink.ts.
import type { RgbImage } from '../image.js';
import { glyphLikelihoods, SEGMENTS_14, SEGMENTS_7, type SegmentName } from './segment-glyphs.js';
import { dropBoxSides, textBand } from './text-band.js';
import { JUDGEABLE_GAIN, lineLight, maxFilter } from './segment-light.js';
import { dropBlankEnds, rightUprightsOnly, spacesByPitch } from './segment-positions.js';
import { eraseGlare, hiddenBeside } from './glare-unseen.js';
import { percentile, type SegmentCell } from './segment-cell.js';
import { sampleCell, uprightsReachIn } from './segment-sampling.js';
import { percentileTyped } from './order-statistics.js';
import { faintDashIn } from './gap-dash.js';
import { missedPoints } from './cell-points.js';
import { pairedUprights, uprightFeet } from './upright-foot.js';
import { turnedBand } from './turned-band.js';
import { bandInk, columnProfile, GLARED_GAP, glaredShare, inkRows, mergeFragments, strokeWidth, inkRowShare } from './segment-band-ink.js';
import { cellFit, displayKind, kindSegments } from './display-kind.js';
import { placeForSeven } from './seven-placement.js';
import { aboveGhostLevel } from './ghost-level.js';
import { fullGlyphHeight, lowGlyphRows } from './low-glyph.js';
import { dropUprightsInCells } from './upright-in-cell.js';

export { percentile, type SegmentCell } from './segment-cell.js';

export interface SegmentLine {
  cells: SegmentCell[];
  /** 14 when the fourteen-segment glyphs explain the cells with ink at centre or diagonal positions better, else 7. */
  segments: 7 | 14;
  /** Shear applied to stand italic glyphs upright (x shift per pixel of height). */
  shear: number;
  /** Text band (rows) within the crop. */
  top: number;
  bottom: number;
}

/** Width of a narrow upright's cell as sampled for what lies beside the upright (SegmentCell.beside), in cells. */
const BESIDE_WIDTH = 1.25;

/** Least width, in strokes, of a full glyph of a narrow font (an upright, a 1, is about one stroke wide). */
const NARROW_GLYPH = 1.7;
/** A narrow run inking under this share of the band's rows is bars' ends, not an upright (segment-band-ink.ts inkRowShare). */
const BAR_ENDS_SHARE = 0.5;

/** Share of the line's glyphs' height (the median of its full cells' ink rows) an upright spans to be a 1. */
const UPRIGHT_OF_GLYPH = 0.7;
/** Height, in the line's tallest glyph's, above which a narrow upright is an edge beside the line, not a 1. */
const EDGE_OF_GLYPH = 1.15;

/** A cell whose lit level is under this share of the line's usual one is blank (ghost segments only). */
const BLANK_PEAK = 0.65;

/** Lines already read, by crop (panel-reader.ts asks before a line's lit view, line-arbitration.ts again); never written into. */
const readLines = new WeakMap<RgbImage, SegmentLine | null>();

/** Splits a segment-display crop into cells and scores each cell's segments; null when it does not look like one. */
export function readSegmentCells(img: RgbImage): SegmentLine | null {
  if (readLines.has(img)) return readLines.get(img)!;
  const line = readCells(img);
  readLines.set(img, line);
  return line;
}

function readCells(img: RgbImage): SegmentLine | null {
  const lm = lineLight(img);
  if (!lm) return null;
  const { width: w, height: h } = img;
  // Glare compresses contrast by the gain it leaves: stroke light is divided by it (down to the judgeable gain).
  const gainAt = (i: number): number => Math.max(lm.gain[i]!, JUDGEABLE_GAIN);
  const light = new Float32Array(lm.map.length);
  for (let i = 0; i < light.length; i++) light[i] = lm.map[i]! / gainAt(i);
  // A lamp's streak across an emitting display is as bright as a stroke: it is erased before anything is measured.
  eraseGlare(light, w, h, lm.polarity);
  const global = percentileTyped(light, 0.95, 0.05);
  if (global <= 0.1) return null;
  // Background pixels' residual light is the noise (most of a crop is background); glare does not lower it.
  const noise = percentileTyped(lm.map, 0.5);
  // Uneven backlight and what the gain does not explain: each pixel is measured against the brightest ink around
  // it (about a cell), but never against less than a quarter of the line's, so unlit segments stay unlit; nor
  // against noise.
  const near = maxFilter(light, w, h, Math.max(3, Math.round(0.5 * h)));
  const map = new Float32Array(w * h);
  for (let i = 0; i < map.length; i++) map[i] = light[i]! / Math.max(near[i]!, 0.25 * global, (4 * noise) / gainAt(i), 1e-3);
  const level = 1;
  const on = new Uint8Array(w * h);
  for (let i = 0; i < on.length; i++) on[i] = map[i]! > 0.45 * level ? 1 : 0;
  // Text band: the longest run of rows with ink inside the crop's edges (text-band.ts).
  const { top, bottom } = textBand(on, w, h);
  const band = bottom - top + 1;
  if (band < 10 || band < 0.35 * h) return null;
  const yc = (top + bottom) / 2;
  const stroke = strokeWidth(on, w, top, bottom, band);
  // Shear that makes vertical strokes most vertical (sharpest column profile).
  // (Each shear's profile counts the band's lit pixels only, listed once; the best shear's profile is kept.)
  const ink = bandInk(on, w, top, bottom);
  let shear = 0, bestScore = -1, prof: Float32Array = new Float32Array(0);
  for (let s = -0.1; s <= 0.401; s += 0.025) {
    const sheared = columnProfile(ink, w, top, s, yc);
    let score = 0;
    for (const v of sheared) score += v * v;
    if (score > bestScore) { bestScore = score; shear = s; prof = sheared; }
  }
  // Runs of ink columns; tiny gaps inside a glyph are bridged.
  const minCol = Math.max(1, 0.04 * band);
  const runs: Array<[number, number]> = [];
  for (let x = 0; x < w; x++) {
    if (prof[x]! < minCol) continue;
    let e = x;
    while (e + 1 < w && prof[e + 1]! >= minCol) e++;
    const last = runs[runs.length - 1];
    if (last && x - last[1] - 1 <= Math.max(1, 0.04 * band)) last[1] = e;
    else runs.push([x, e]);
    x = e;
  }
  if (!dropBoxSides(runs, on, w, h, top, bottom).length) return null;
  mergeFragments(runs, on, w, top, bottom, shear, yc, band);
  const ext = runs.map(([a, b]) => inkRows(on, w, top, bottom, a, b, shear, yc));
  const fullHeight = (i: number): boolean => ext[i]![1] - ext[i]![0] + 1 >= 0.7 * band;
  // On a line turned in its crop each cell is sampled between the line's edges where it stands (turned-band.ts); a low c, o, u from its bottom bar up (low-glyph.ts).
  const turned = turnedBand(runs.flatMap(([a, b], i) => (fullHeight(i) && b - a + 1 >= 0.35 * band ? [{ a, b, r0: ext[i]![0], r1: ext[i]![1] }] : [])), top, bottom), glyphHeight = fullGlyphHeight(runs, ext, band);
  const sampleAt = (x0: number, x1: number): Pick<SegmentCell, 'lit' | 'standing' | 'peak'> => {
    const [t, b] = lowGlyphRows(on, w, turned ? turned.rows(x0, x1) : [top, bottom], x0, x1, shear, yc, glyphHeight);
    return sampleCell(map, lm.gain, w, h, t, b, x0, x1, shear, yc, level, stroke);
  };
  let tallWide = runs.filter(([a, b], i) => b - a + 1 >= 0.35 * band && fullHeight(i)).map(([a, b]) => b - a + 1);
  // A narrow font (glyphs a third of their height wide or less) has no glyph that wide: its full glyphs are then the
  // tall runs much wider than a stroke (an upright alone, a 1, is a stroke wide), so that its letters and digits are
  // cells and not uprights read 1 (E11 read 1 1 1).
  const narrowFont = !tallWide.length;
  if (narrowFont) tallWide = runs.filter(([a, b], i) => b - a + 1 >= NARROW_GLYPH * stroke && fullHeight(i)).map(([a, b]) => b - a + 1);
  // Cell width: the narrower full glyphs say how many cells a wider run holds (a decimal point or blur can bridge
  // two glyphs into one run); the median over the runs of width per cell is the display's.
  const cw0 = tallWide.length ? percentile(tallWide, 0.25) : 0.6 * band;
  const cellsIn = (width: number, c: number): number => (width > 1.6 * c ? Math.max(2, Math.round((width + 0.3 * c) / (1.3 * c))) : 1);
  const cw = tallWide.length ? percentile(tallWide.map((x) => x / cellsIn(x, cw0)), 0.5) : cw0;
  // Dark strokes (an LCD, print) keep the inner positions' standing only where a heavy upright reaches into a diagonal
  // (segment-sampling.ts uprightsReachIn).
  const standingOf = (sampled: Pick<SegmentCell, 'lit' | 'standing' | 'peak'>): void => {
    if (lm.polarity === 'bright') return;
    const kept = uprightsReachIn(sampled, stroke, cw);
    if (kept) sampled.standing = kept;
    else delete sampled.standing;
  };
  const cells: SegmentCell[] = [];
  let prevEnd = -Infinity;
  // Where a cell narrower or wider than the display's could stand, kept to place it again once the line's kind is known.
  const placements = new Map<SegmentCell, Array<[number, number]>>();
  const push = (x0: number, x1: number, shape?: SegmentCell['shape']): void => {
    const last = cells[cells.length - 1];
    // The two halves of a fourteen-segment dash are one cell.
    if (shape === '-' && last?.shape === '-' && (x0 + x1 - last.x0 - last.x1) / 2 < 0.6 * cw) {
      const mid = (last.x0 + x1) / 2;
      last.x0 = Math.round(mid - cw / 2);
      last.x1 = Math.round(mid + cw / 2);
      prevEnd = last.x1;
      return;
    }
    const sampled: Pick<SegmentCell, 'lit' | 'standing' | 'peak'> = shape ? { lit: {} } : sampleAt(x0, x1);
    // Light spreading between the bars is an emitting display's (LED, VFD): dark strokes on a light ground (an LCD,
    // print) do not glow, and there ink at an inner position is a stroke (a printed curve) and speaks against seven
    // segments as it is, unless it is a heavy upright's own ink.
    standingOf(sampled);
    // Gaps are measured between cells of full width (centred), so a narrow glyph does not look like a space.
    const mid = (x0 + x1) / 2, half = Math.max(x1 - x0, cw) / 2;
    const spaceBefore = !!last && mid - half - prevEnd > (shape || last.shape ? 0.9 : 0.46) * cw;
    const glareBefore = spaceBefore && glaredShare(lm.gain, w, top, bottom, prevEnd, mid - half, shear, yc) > GLARED_GAP;
    // A narrow upright's cell is also sampled a quarter wider to the left: a glyph wider than the display's usual cell
    // (a slanted 4 whose upper left upright leans out) keeps its left segments inside.
    const beside = shape === '1' ? { beside: sampleAt(Math.max(0, Math.round(x1 - BESIDE_WIDTH * (x1 - x0 + 1) + 1)), x1).lit, cellWide: sampleAt(x0, x1).lit } : {};
    cells.push({ x0, x1, ...sampled, ...(shape ? { shape } : {}), ...beside, spaceBefore, ...(glareBefore ? { glareBefore } : {}) });
    prevEnd = mid + half;
  };
  // A 1 is as tall as the glyphs beside it, less its corners: on a line turned in its crop the band (every row with ink
  // along the line) is deeper than any one glyph, and a 1's upright, with no top or bottom bar, falls under the band's
  // share (FLT 61 read FLT 6, the 1 at the low end 24 rows of a 42-row band, its glyphs 30). It is tall as the glyphs are.
  const fullRows = runs.flatMap(([a, b], i) => (b - a + 1 >= 0.6 * cw ? [ext[i]![1] - ext[i]![0] + 1] : []));
  const glyphRows = percentile(fullRows, 0.5), tallestGlyph = Math.max(0, ...fullRows);
  runs.forEach(([a, b], i) => {
    const width = b - a + 1;
    const [r0, r1] = ext[i]!;
    const tall = r1 - r0 + 1 >= Math.min(0.6 * band, glyphRows > 0 ? UPRIGHT_OF_GLYPH * glyphRows : Infinity);
    // On a narrow font an upright is a large share of a cell's width: there a run about a stroke wide is a 1.
    if (width >= 0.6 * cw && !(narrowFont && tall && width < NARROW_GLYPH * stroke)) {
      const n = cellsIn(width, cw);
      const step = n > 1 ? (width - cw) / (n - 1) : 0;
      if (n === 1 && Math.abs(width - cw) > 0.12 * cw) {
        // One glyph whose ink is narrower (glare or blur took a side's segments) or wider (a decimal point or a
        // neighbour's bleed joined it) than the display's cells: a cell is as wide as the others, so it is placed
        // where its segments fit a glyph best — against the run's left edge, its right edge, around its middle (a
        // narrower one), or as the run is.
        const left: [number, number] = [a, Math.min(w - 1, a + cw - 1)], right: [number, number] = [Math.max(0, b - cw + 1), b];
        // A fourteen-segment glyph drawn with its centre strokes and diagonals only (Y, T, I, X) stands in the middle.
        const centre: [number, number] = [Math.max(0, Math.round((a + b - cw) / 2)), Math.min(w - 1, Math.round((a + b + cw) / 2) - 1)];
        const asIs = sampleAt(a, b), inked: [number, number] = [a, b];
        let best = inked, bestFit = cellFit(asIs);
        // A narrower glyph drawn with its right uprights only and no middle bar (a 7) stands against the right of its
        // cell (segment-positions.ts rightUprightsOnly): that placement is the one the others must clearly beat.
        if (width < cw && rightUprightsOnly(asIs.lit)) {
          best = right;
          bestFit = cellFit(sampleAt(right[0], right[1]));
        }
        for (const c of (width < cw ? [inked, left, right, centre] : [left, right]).filter((p) => p !== best)) {
          const f = cellFit(sampleAt(c[0], c[1]));
          if (f > 1.5 * bestFit) { best = c; bestFit = f; }
        }
        push(best[0], best[1]);
        placements.set(cells[cells.length - 1]!, [[a, b], left, right, ...(width < cw ? [centre] : [])]);
        // What a left-placed cell leaves at the run's right, low in the band, is its decimal point.
        if (best === left && b - left[1] >= 0.08 * cw) {
          const [d0, d1] = inkRows(on, w, top, bottom, left[1] + 1, b, shear, yc);
          if (d1 >= d0 && (d0 + d1) / 2 - top > 0.75 * band && d1 - d0 + 1 < 0.3 * band) push(left[1] + 1, b, '.');
        }
        return;
      }
      for (let k = 0; k < n; k++) push(n > 1 ? a + k * step : a, n > 1 ? a + k * step + cw - 1 : b);
    } else if (tall && b - cw + 1 < 0 && inkRowShare(on, w, top, bottom, a, b, shear, yc) < BAR_ENDS_SHARE) {
      // A narrow run at the crop's left edge whose ink lies on a few rows only is no upright: it is the bars' right
      // ends of a glyph the crop cut or glare washed on its left (E852 under a glare streak read 1852). It gets a whole
      // cell ending at its ink, sampled like any other: what lies past the crop reads dark, what glare hid unjudged.
      push(b - cw + 1, b);
    } else if (tall && tallestGlyph > 0 && r1 - r0 + 1 > EDGE_OF_GLYPH * tallestGlyph && r0 <= top + 1 && r1 >= bottom - 1) {
      // An upright taller than the line's tallest glyph and running the whole band is no 1 of it: a display window's or
      // bezel's edge the box took in beside the line (ALM 51 read ALM 511, the edge 39 rows, the whole band, against
      // glyphs of 27 to 32). No cell. (The tallest glyph, not the usual: segment letters drawn in the lower half, r u n,
      // are half as tall as the 1 of RUN 215.)
    } else if (tall) {
      // A 1, unless a streak beside it hid the rest of a wider glyph: then a whole cell reaching over the streak, the
      // segments it hides unjudged (glare-unseen.ts; E-909 read E-109).
      const whole = hiddenBeside(light, w, top, bottom, a, b, cw, shear, yc);
      if (whole) push(...whole); else push(b - cw + 1, b, '1');
    } else if ((r0 + r1) / 2 - top > 0.75 * band && width < 0.3 * cw) {
      const last = cells[cells.length - 1];
      if (last && !last.shape) push(a, b, '.');
    } else if (Math.abs((r0 + r1) / 2 - yc) < 0.2 * band && r1 - r0 + 1 < 0.3 * band && width >= 0.08 * cw) {
      // A dash, or one half of a fourteen-segment dash (short on a Mini font).
      push(Math.round((a + b - cw) / 2), Math.round((a + b + cw) / 2), '-');
    }
  });
  // A dash ending the line inside the last glyph's own cell is a streak of glare across it, no character (A84-).
  const tail = cells[cells.length - 1], glyph = cells[cells.length - 2];
  if (tail?.shape === '-' && glyph && !glyph.shape && (tail.x0 + tail.x1 - glyph.x0 - glyph.x1) / 2 < 0.8 * cw) cells.pop();
  // Points the runs joined to a neighbour or found too wide (cell-points.ts), placed between their two cells.
  for (const p of missedPoints(cells, { on, w, top, bottom, shear, yc, stroke, cw }).reverse()) {
    cells.splice(p.after + 1, 0, { x0: p.x0, x1: p.x1, lit: {}, shape: '.', spaceBefore: false });
  }
  if (!cells.length) return null;
  // Two uprights closer than a cell are one glyph's sides; a point in a whole cell's room is what glare left of a 1's upright (upright-foot.ts).
  pairedUprights(cells, cw, (x0, x1) => { const s = sampleAt(x0, x1); standingOf(s); return s; }); uprightFeet(cells, cw, (x0, x1) => sampleAt(x0, x1).lit);
  dropBlankEnds(cells, light, w, top, bottom, shear, yc, Math.max(3, Math.round(0.5 * stroke * stroke)));
  if (!cells.length) return null;
  spacesByPitch(cells, cw);
  // A space may hold a dash too faint for a cell (gap-dash.ts); a narrow upright's cell reaches left of its ink.
  cells.forEach((c, i) => {
    const prev = cells[i - 1];
    if (!prev || !c.spaceBefore) return;
    if (faintDashIn(light, w, top, bottom, prev.x1 + 1, (c.shape === '1' ? c.x1 - 2 * stroke : c.x0) - 1, shear, yc, cw, global)) c.dashBefore = true;
  });
  // A first or last cell far dimmer than the line's others is a blank position (a number shown right-aligned) whose
  // unlit ("ghost") segments and glow, scored against their own level, would look lit. It is left unjudged (the
  // recogniser reads the line). Inside the line a dim cell is more likely a glyph under glare, and is read.
  const peaks = cells.flatMap((c) => (c.peak === undefined ? [] : [c.peak]));
  const usual = percentile(peaks, 0.5);
  for (const c of [cells[0]!, cells[cells.length - 1]!]) {
    if (c.peak !== undefined && peaks.length >= 3 && c.peak < BLANK_PEAK * usual) {
      for (const s of Object.keys(c.lit) as SegmentName[]) c.lit[s] = NaN;
      delete c.standing;
    }
  }
  // A narrow glyph's placement under the fourteen-segment table alone: the seven-segment reading of a K or an X placed
  // as its ink lies (its diagonals' ends taken for the side bars: an H) does not hold it on a fourteen-segment line.
  const fit14 = (c: Pick<SegmentCell, 'lit' | 'standing'>): number => Math.max(...glyphLikelihoods(kindSegments(c, 14), 14).values());
  const as14 = new Map<SegmentCell, { x0: number; x1: number; sampled: Pick<SegmentCell, 'lit' | 'standing' | 'peak'>; fit: number }>();
  for (const [cell, options] of placements) {
    if (!cells.includes(cell)) continue;
    let bestFit = fit14(cell);
    for (const [x0, x1] of options) {
      const sampled = sampleAt(x0, x1);
      standingOf(sampled);
      const f = fit14(sampled);
      if (f > 1.5 * bestFit) { bestFit = f; as14.set(cell, { x0, x1, sampled, fit: f }); }
    }
  }
  const segments = displayKind(cells, as14);
  if (segments === 14) for (const [cell, p] of as14) Object.assign(cell, { x0: p.x0, x1: p.x1 }, p.sampled);
  else placeForSeven(cells, placements, cw, (x0, x1) => { const s = sampleAt(x0, x1); standingOf(s); return s; });
  // A 1 a placed glyph takes in as its lit side is that side (upright-in-cell.ts); segments over the ghosts' level (ghost-level.ts).
  dropUprightsInCells(cells, stroke); aboveGhostLevel(cells, segments);
  return { cells, segments, shear, top, bottom };
}
export { SEGMENTS_7, SEGMENTS_14 };
