// Dot-matrix lines (src/vision/ocr/dot-matrix.ts): the lattice detector must tell a line of round dots from the
// same text drawn with continuous strokes (a pixel font whose dots touch, a seven-segment display), by a clear
// margin, whatever the dot pitch, the colours and a little blur; the dots-joined view must fill the gaps between
// neighbouring dots and not the gap between two characters. Lines are drawn here in code (no models, no fonts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { dotRows } from '../../scripts/drawn-panels/glyph-geometry.js';
import type { RgbImage } from '../../src/vision/image.js';
import { DOT_MATRIX_SCORE, dotMatrixLine, isDotMatrix, joinDots } from '../../src/vision/ocr/dot-matrix.js';
import { GLYPHS_7 } from '../../src/vision/ocr/segment-glyphs.js';

type Style = 'dots' | 'pixels' | 'segments';
interface Look { pitch: number; ink: [number, number, number]; ground: [number, number, number]; blur: number; seed: number }

/** A text line as a display draws it: 5×7 round dots, 5×7 touching squares, or seven-segment bars; camera blur and noise. */
function drawLine(text: string, style: Style, look: Look): RgbImage {
  const p = look.pitch, margin = Math.round(1.5 * p);
  const cell = 6 * p;
  const w = Math.round(text.length * cell + 2 * margin), h = Math.round(7 * p + 2 * margin);
  const cover = new Float32Array(w * h);
  const fill = (x0: number, y0: number, x1: number, y1: number, inside: (x: number, y: number) => boolean): void => {
    for (let y = Math.max(0, Math.floor(y0)); y < Math.min(h, Math.ceil(y1)); y++) {
      for (let x = Math.max(0, Math.floor(x0)); x < Math.min(w, Math.ceil(x1)); x++) if (inside(x + 0.5, y + 0.5)) cover[y * w + x] = 1;
    }
  };
  [...text].forEach((ch, k) => {
    const ox = margin + k * cell, oy = margin;
    if (style === 'segments') {
      const segs = GLYPHS_7[ch]?.[0];
      if (!segs) return;
      const t = 0.9 * p, cw = 5 * p, ch7 = 7 * p;
      const bars: Record<string, [number, number, number, number]> = {
        a: [t, 0, cw - t, t], d: [t, ch7 - t, cw - t, ch7], g: [t, (ch7 - t) / 2, cw - t, (ch7 + t) / 2],
        f: [0, t, t, ch7 / 2 - t / 4], e: [0, ch7 / 2 + t / 4, t, ch7 - t], b: [cw - t, t, cw, ch7 / 2 - t / 4], c: [cw - t, ch7 / 2 + t / 4, cw, ch7 - t],
      };
      for (const s of segs) { const [x0, y0, x1, y1] = bars[s]!; fill(ox + x0, oy + y0, ox + x1, oy + y1, () => true); }
      return;
    }
    const rows = dotRows(ch);
    if (!rows) return;
    rows.forEach((row, r) => [...row].forEach((on, c) => {
      if (on !== '1') return;
      const cx = ox + (c + 0.5) * p, cy = oy + (r + 0.5) * p;
      if (style === 'pixels') fill(cx - p / 2, cy - p / 2, cx + p / 2, cy + p / 2, () => true);
      else fill(cx - p, cy - p, cx + p, cy + p, (x, y) => Math.hypot(x - cx, y - cy) <= 0.4 * p);
    }));
  });
  // Camera blur (box passes) and sensor noise.
  let v: Float32Array = cover;
  for (let pass = 0; pass < look.blur; pass++) {
    const o = new Float32Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let s = 0, n = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
        const yy = y + dy, xx = x + dx;
        if (yy >= 0 && yy < h && xx >= 0 && xx < w) { s += v[yy * w + xx]!; n++; }
      }
      o[y * w + x] = s / n;
    }
    v = o;
  }
  let state = look.seed;
  const rnd = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const data = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    for (let c = 0; c < 3; c++) data[3 * i + c] = Math.max(0, Math.min(255, look.ground[c]! + (look.ink[c]! - look.ground[c]!) * v[i]! + (rnd() - 0.5) * 12));
  }
  return { data, width: w, height: h };
}

const LOOKS: Look[] = [
  { pitch: 6, ink: [255, 60, 40], ground: [20, 8, 8], blur: 1, seed: 1 },
  { pitch: 9, ink: [90, 255, 120], ground: [10, 20, 12], blur: 2, seed: 2 },
  { pitch: 5, ink: [30, 40, 30], ground: [160, 180, 140], blur: 1, seed: 3 },
  { pitch: 12, ink: [120, 230, 255], ground: [15, 20, 30], blur: 3, seed: 4 },
];
const TEXTS = ['ERR 62', 'RPM 2560', 'F-42', 'AL4991'];

describe('dot-matrix lines', () => {
  test('round dots on one lattice score above the threshold; the same text in touching pixels or segments far below', () => {
    const scores: Record<Style, number[]> = { dots: [], pixels: [], segments: [] };
    for (const [n, look] of LOOKS.entries()) {
      for (const text of [TEXTS[n % TEXTS.length]!, TEXTS[(n + 1) % TEXTS.length]!]) {
        for (const style of ['dots', 'pixels', 'segments'] as const) {
          const line = style === 'segments' ? text.replace(/[MRL]/g, 'E') : text;
          const d = dotMatrixLine(drawLine(line, style, look));
          scores[style].push(d ? d.score : -1);
          if (style === 'dots') {
            assert.ok(isDotMatrix(d), `${text} in dots at pitch ${look.pitch}: score ${d?.score.toFixed(3)}`);
            assert.ok(Math.abs(d.pitch - look.pitch) < 0.2 * look.pitch, `${text}: pitch ${d.pitch.toFixed(2)} found for ${look.pitch}`);
            assert.equal(d.polarity, look.ink[1] > look.ground[1] ? 'bright' : 'dark');
          }
        }
      }
    }
    const lowestDots = Math.min(...scores.dots), highestStrokes = Math.max(...scores.pixels, ...scores.segments);
    assert.ok(highestStrokes < DOT_MATRIX_SCORE / 2, `strokes score up to ${highestStrokes.toFixed(3)}`);
    assert.ok(lowestDots - highestStrokes > 0.1, `margin ${lowestDots.toFixed(3)} over ${highestStrokes.toFixed(3)}`);
  });

  test('the joined view fills the gap between neighbouring dots, not the gap between two characters', () => {
    const look = LOOKS[0]!;
    const img = drawLine('EE', 'dots', look);
    const d = dotMatrixLine(img)!;
    assert.ok(isDotMatrix(d));
    const joined = joinDots(img, d);
    const p = look.pitch, margin = Math.round(1.5 * p);
    const red = (im: RgbImage, x: number, y: number): number => im.data[3 * (Math.round(y) * im.width + Math.round(x))]!;
    // E's top row: five dots; between the first two (x = 1·p from the cell's left), the row's middle height.
    const y = margin + 0.5 * p, between = margin + p;
    assert.ok(red(img, between, y) < red(img, margin + 0.5 * p, y) - 60, 'the plain view shows a gap between the dots');
    assert.ok(red(joined, between, y) > red(img, margin + 0.5 * p, y) - 60, 'the joined view fills it');
    // Between the two E's: the sixth column of the first cell is blank, a whole pitch plus the dots' own gaps.
    const gap = margin + 5.5 * p;
    assert.ok(red(joined, gap, y) < 100, `the gap between characters stays dark (${red(joined, gap, y).toFixed(0)})`);
  });

  test('a crop too small to hold a lattice is not judged', () => {
    assert.equal(dotMatrixLine({ data: new Float32Array(10 * 8 * 3), width: 10, height: 8 }), null);
  });
});
