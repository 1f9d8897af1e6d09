// Dot-matrix lines whose box cuts off rows of dots (src/vision/ocr/cut-dot-rows.ts). Drawn in code first (no
// models): a module's crop cut through its top and bottom rows of lit dots reaches its edges, a whole one does not;
// the taller box grows by two pitches up and down. Then a generated camera frame (scripts/gen-panels-drawn.ts, seed
// 71101, frame 2) through the real models: F051 on a large inverted LCD module, whose box the detector fitted to
// the middle five rows of dots, was read 广国1 and reported nothing; and drawn seed 62's frame 225 (bench/_gen-sets.ts drawn --dots):
// C-02 on an inverted LCD module under a glare wash, its box on the middle rows yet its lattice still passing the
// test, was read L-日 and reported nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realReaders } from '../helpers/real-readers.js';
import { decodeImageFile, type RgbImage } from '../../src/vision/image.js';
import type { DotMatrixLine } from '../../src/vision/ocr/dot-matrix.js';
import { litDotsReachEdge, tallerBox } from '../../src/vision/ocr/cut-dot-rows.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');
const P = 6;

/** A dark module of three 5×7 cells showing an L in lit dots at a pitch of P px, rows `from`..`to` of the dots kept. */
function module(from: number, to: number, pad: number): RgbImage {
  const cells = 3, gap = 6;
  const W = 2 * 8 + cells * (5 * P + gap), H = 2 * pad + (to - from) * P;
  const data = new Float32Array(W * H * 3).fill(12);
  for (let c = 0; c < cells; c++) {
    for (let i = 0; i < 5; i++) {
      for (let j = from; j < to; j++) {
        if (i > 0 && j < 6) continue;
        const x0 = 8 + c * (5 * P + gap) + i * P, y0 = pad + (j - from) * P;
        for (let y = y0 + 1; y < y0 + P - 1; y++) for (let x = x0 + 1; x < x0 + P - 1; x++) data.fill(230, (y * W + x) * 3, (y * W + x) * 3 + 3);
      }
    }
  }
  return { data, width: W, height: H };
}

const dots: DotMatrixLine = { score: 0.07, pitch: P, down: 0.07, across: 0.07, polarity: 'bright' };

describe('dot-matrix lines whose box cuts off rows of dots', () => {
  test('the lit dots of a crop cut through its rows reach its edge; a whole module with a margin does not', () => {
    assert.equal(litDotsReachEdge(module(1, 6, 0), dots), true, 'rows 2-6 of 7, cut at both edges');
    assert.equal(litDotsReachEdge(module(0, 7, 0), dots), true, 'all seven rows, no margin: the dots touch the edges');
    assert.equal(litDotsReachEdge(module(0, 7, 8), dots), false, 'all seven rows and a margin');
  });

  test('the taller box grows two pitches up and down along the box\'s own upright', () => {
    const box: TextBox = { points: [[10, 20], [110, 20], [110, 50], [10, 50]], score: 1 };
    assert.deepEqual(tallerBox(box, dots).points, [[10, 8], [110, 8], [110, 62], [10, 62]]);
  });

  describe('camera frames through the real models', { timeout: 300_000 }, () => {
    const r = realReaders();
    test('F051, its box fitted to the middle rows of a large module, is read on the taller box', async () => {
      const v = await r.analyzer.analyze(await decodeImageFile(join(FRAMES, 'drawn-dot-matrix-f051-rows-cut.jpg')));
      assert.deepEqual(v.alarmCodes, ['F051'], JSON.stringify(v.detail.ocr));
    });
    test('C-02, its box on the middle rows of a module whose lattice still passes the test, is read on the taller box', async () => {
      const v = await r.analyzer.analyze(await decodeImageFile(join(FRAMES, 'drawn-dot-matrix-c-02-rows-cut-lattice-kept.jpg')));
      assert.deepEqual(v.alarmCodes, ['C-02'], JSON.stringify(v.detail.ocr));
    });
  });
});
