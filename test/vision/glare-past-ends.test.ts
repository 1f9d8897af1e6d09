// A glare patch over a line box's end (glare-past-ends.ts): the detector's box stops where the patch begins, and the
// glyph under it was never read (E387 read E38). The frame was generated with scripts/gen-panels-drawn.ts seed 70,
// frame 5 (dim green LED, tilt, glare spot, JPEG): its last 7 lies under the spot.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import { glarePastEnds } from '../../src/vision/ocr/glare-past-ends.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-seven-segment-e387-last-under-glare.jpg');

interface Look { lit?: number; bezel?: number; glareAt?: number; glareReach?: number }

/**
 * A dark display (15) with three glyphs' bars lit at `lit` (x 60-140, y 30-70), optionally a bezel at 150 from
 * `bezel` on, and a glare spot centred at x `glareAt` (y 50), white at its centre and fading out over `glareReach` px.
 */
function display(o: Look): RgbImage {
  const width = 300, height = 100, data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = o.bezel !== undefined && x >= o.bezel ? 150 : 15;
      const glyph = Math.floor((x - 60) / 30), inGlyph = x >= 60 && x < 140 && (x - 60) % 30 < 20 && glyph < 3;
      if (inGlyph && y >= 30 && y < 70 && ((x - 60) % 30 < 4 || (x - 60) % 30 >= 16 || y < 34 || (y >= 48 && y < 52) || y >= 66)) v = o.lit ?? 120;
      if (o.glareAt !== undefined) {
        const g = Math.max(0, 1 - Math.hypot(x - o.glareAt, y - 50) / (o.glareReach ?? 45));
        v = 255 - (255 - v) * (1 - 0.95 * g);
      }
      data.fill(v, 3 * (y * width + x), 3 * (y * width + x) + 3);
    }
  }
  return { data, width, height };
}
/** The box around the first two glyphs and a bit: x 55-125 (its right end inside the third glyph's cell), y 25-75. */
const BOX: TextBox = { points: [[55, 25], [125, 25], [125, 75], [55, 75]], score: 0.9 };

describe('a glyph under a glare patch past a line box\'s end', { timeout: 240_000 }, () => {
  test('a patch running over the box\'s right end asks for that end; none, or one beside it only, asks for nothing', () => {
    assert.deepEqual(glarePastEnds(display({}), BOX), { left: false, right: false });
    assert.deepEqual(glarePastEnds(display({ glareAt: 130 }), BOX), { left: false, right: true });
    assert.deepEqual(glarePastEnds(display({ glareAt: 50 }), BOX), { left: true, right: false }, 'the same at the left end');
    assert.deepEqual(glarePastEnds(display({ glareAt: 190, glareReach: 40 }), BOX), { left: false, right: false }, 'a patch past the end only');
  });

  test('a bright bezel past the end is no glare, nor is a lit glyph as bright as the patch', () => {
    assert.deepEqual(glarePastEnds(display({ bezel: 135 }), BOX), { left: false, right: false }, 'the bezel does not light the box\'s end');
    assert.deepEqual(glarePastEnds(display({ lit: 245, bezel: 135 }), BOX), { left: false, right: false }, 'white strokes are not glare');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('E387 whose 7 lies under a glare spot is read whole', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()), ['E387']);
  });
});
