// A lit glyph under a glare halo past a line box's right end (halo-past-ends.ts): the halo lifts the dark ground
// around the last glyph to a grey the detector takes for no text, so the box stops before it (FLT 81 read FLT 8).
// The frame was generated with scripts/gen-panels.ts seed 289, frame 29 (red LED in DSEG7 Modern Bold Italic,
// tilted, a soft glare spot over its last two glyphs).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import { haloPastRight } from '../../src/vision/ocr/halo-past-ends.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/panels-flt81-last-under-glare-halo.png');

interface Look { halo?: boolean; last?: boolean; bezel?: number }

/**
 * A dark display (10) with three glyphs' bars lit at 130 (x 60-140, y 30-70) and, with `last`, a 1's upright at
 * x 160-165 past the box; with `halo`, a glare halo centred at x 160 (y 50) lifting the ground up to 140 and the
 * strokes under it up to 200; with `bezel`, a grey bezel (120) from that x on.
 */
function display(o: Look): RgbImage {
  const width = 300, height = 100, data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = o.bezel !== undefined && x >= o.bezel ? 120 : 10;
      const glyph = Math.floor((x - 60) / 30), inGlyph = x >= 60 && x < 140 && (x - 60) % 30 < 20 && glyph < 3;
      const lit = (inGlyph && y >= 30 && y < 70 && ((x - 60) % 30 < 4 || (x - 60) % 30 >= 16 || y < 34 || (y >= 48 && y < 52) || y >= 66))
        || (!!o.last && x >= 160 && x < 166 && y >= 30 && y < 70);
      if (lit) v = 130;
      if (o.halo) {
        const g = Math.max(0, 1 - Math.hypot(x - 160, (y - 50) * 1.5) / 90);
        v = lit ? v + 70 * g : v + 130 * g;
      }
      data.fill(v, 3 * (y * width + x), 3 * (y * width + x) + 3);
    }
  }
  return { data, width, height };
}
/** The box around the three glyphs: x 55-145, y 25-75 (its right end before the 1 at x 160). */
const BOX: TextBox = { points: [[55, 25], [145, 25], [145, 75], [55, 75]], score: 0.9 };

describe('a glyph under a glare halo past a line box\'s right end', { timeout: 240_000 }, () => {
  test('a lit upright standing out of a halo past the end asks for the end; the halo alone does not', () => {
    assert.equal(haloPastRight(display({ halo: true, last: true }), BOX), true);
    assert.equal(haloPastRight(display({ halo: true }), BOX), false, 'a halo with no glyph under it');
  });

  test('no halo: the end is left to ink-past-ends.ts; a bezel past the end is no glyph', () => {
    assert.equal(haloPastRight(display({ last: true }), BOX), false, 'a glyph on the dark ground');
    assert.equal(haloPastRight(display({ bezel: 150 }), BOX), false, 'a grey bezel past the end');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('FLT 81 whose 1 stands in a glare halo is read whole, not FLT 8', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()), ['FLT81']);
  });
});
