// A segment font that leaves a clear row between the middle bar and the uprights under it cuts every glyph's ink in
// two runs of rows; the text band must take both (src/vision/ocr/text-band.ts otherHalf). The crop is a line kept
// from a font-drawn frame (scripts/gen-panels.ts seed 267, frame 107: E-897 in DSEG7 Classic Mini on a dark inverted
// LCD under glare, tilted, blurred), which the recogniser read 6-897; banded over the glyphs' upper halves its cells
// sampled every middle bar as the bottom one and read C-OON, and the line was reported as C-897.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { textBand } from '../../src/vision/ocr/text-band.js';
import { silentLattice } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. '];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/e-897-dseg7-band-split-at-middle-bar.png');

/** A w×h mask with the given rectangles inked: [x0, y0, x1, y1] inclusive. */
function mask(w: number, h: number, rects: Array<[number, number, number, number]>): Uint8Array {
  const on = new Uint8Array(w * h);
  for (const [x0, y0, x1, y1] of rects) for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) on[y * w + x] = 1;
  return on;
}

describe('a line whose glyphs are cut in two at the middle bar', () => {
  test('the real crop: the band spans both halves and the cells read E-897', async () => {
    const img = frameToRgb(await decodeImageFile(CROP));
    const line = readSegmentCells(img);
    assert.ok(line);
    assert.ok(line.bottom - line.top + 1 >= 0.75 * img.height, `band ${line.top}..${line.bottom} of ${img.height} rows`);
    const seg = segmentReading(line, silentLattice(dict, 40), dict, img.width, img.height)!;
    assert.equal(seg.text.toUpperCase(), 'E-897');
  });

  // Two glyphs, each an upper half (top bar, uprights, middle bar) over a clear row over a lower half (uprights, bottom bar).
  const upper: Array<[number, number, number, number]> = [[4, 3, 12, 4], [4, 3, 5, 13], [11, 3, 12, 13], [4, 12, 12, 13], [24, 3, 32, 4], [31, 3, 32, 13], [24, 12, 32, 13]];
  test('halves whose uprights stand over each other are one band', () => {
    const lower: Array<[number, number, number, number]> = [[4, 15, 5, 25], [11, 15, 12, 25], [4, 24, 12, 25], [31, 15, 32, 25], [24, 24, 32, 25]];
    assert.deepEqual(textBand(mask(40, 30, [...upper, ...lower]), 40, 30), { top: 3, bottom: 25 });
  });

  test('a run below whose uprights stand elsewhere, or much shorter, is left out', () => {
    const elsewhere: Array<[number, number, number, number]> = [[8, 15, 9, 25], [18, 15, 19, 25], [36, 15, 37, 25]];
    assert.deepEqual(textBand(mask(40, 30, [...upper, ...elsewhere]), 40, 30), { top: 3, bottom: 13 });
    const short: Array<[number, number, number, number]> = [[4, 15, 5, 19], [11, 15, 12, 19], [31, 15, 32, 19]];
    assert.deepEqual(textBand(mask(40, 30, [...upper, ...short]), 40, 30), { top: 3, bottom: 13 });
  });
});
