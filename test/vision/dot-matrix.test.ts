// Dot-matrix lines (src/vision/ocr/dot-matrix.ts): the lattice detector must tell a line of round dots from the
// same text drawn with continuous strokes (a pixel font whose dots touch, a seven-segment display), by a clear
// margin, whatever the dot pitch, the colours and a little blur; the dots-joined view must fill the gaps between
// neighbouring dots and not the gap between two characters. Lines are drawn here in code (no models, no fonts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RgbImage } from '../../src/vision/image.js';
import { DOT_MATRIX_SCORE, dotMatrixLine, isDotMatrix, joinDots } from '../../src/vision/ocr/dot-matrix.js';
import { drawLine, type Look, type Style } from '../helpers/dot-lines.js';

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
