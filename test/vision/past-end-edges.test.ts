// An upright added past a line box's end on a glare streak is no glyph (past-end-edges.ts). The crop is the wider
// crop cut-line-ends.ts read for scripts/gen-panels-drawn.ts seed 229 frame 372: F87 on a blue dot-matrix LED, a
// white glare streak crossing the window a cell past the 7. The detector's box ended at x 186.8 of this 277×129 crop;
// on the wider crop the recogniser read F871, its 1 on the streak (F, 8, 7, 1 emitted at steps 1, 4, 6, 9), and the
// reading was taken: F871 was reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { addedOnEdge } from '../../src/vision/ocr/past-end-edges.js';
import { STEP_PIXELS } from '../../src/vision/ocr/box-ends.js';
import { lineWidth } from '../../src/vision/ocr/line-batch.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';
import { latticeOf } from '../helpers/lattice.js';
import { codesWithAndWithoutCatalog } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/f87-dot-matrix-streak-past-end-wide.jpg');
// The wider crop (228×60) cut-line-ends.ts read for ERR 52 on a dim green LED (scripts/gen-panels-drawn.ts seed 203,
// frame 82): a slanted grey glare streak crosses the window just past the 2 and leans back over the 2's own cell. The
// detector's box ended at x 185.8; on the wider crop the recogniser read Err 521 (E, r, r, 5, 2, 1 at steps 1, 4, 7,
// 13, 16, 19), its 1 on the streak, and ERR 521 was reported.
const LEANING = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/err52-streak-leaning-into-box-wide.png');
const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:%'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const box = (x1: number): TextBox => ({ points: [[0, 0], [x1, 0], [x1, 129], [0, 129]], score: 0.9 });
const first = box(186.8), wider = box(277);

function emitting(at: ReadonlyArray<readonly [number, string]>, steps = 13) {
  const s: Array<Record<string, number>> = Array.from({ length: steps }, () => ({}));
  for (const [t, ch] of at) s[t] = { [ch]: 0.97 };
  return latticeOf(dict, s);
}

/** The crop with the streak's columns (x 195..235) dark above row 40 and below row 95, as the display's ground at x 185: an upright as tall as the glyphs. */
function streakCut(crop: RgbImage): RgbImage {
  const data = Float32Array.from(crop.data);
  for (let y = 30; y < 110; y++) {
    if (y >= 40 && y <= 95) continue;
    for (let x = 195; x < 235; x++) for (let c = 0; c < 3; c++) data[3 * (y * crop.width + x) + c] = crop.data[3 * (y * crop.width + 185) + c]!;
  }
  return { data, width: crop.width, height: crop.height };
}

describe('an upright added past a box\'s end on a glare streak', () => {
  test('F87\'s 1 read on the streak past the box is no glyph', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    assert.equal(addedOnEdge(first, wider, crop, emitting([[1, 'F'], [4, '8'], [6, '7'], [9, '1']]), dict, false, true), true);
  });

  test('an upright no taller than the line\'s glyphs, a character of another shape, or nothing added past the end stand', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    assert.equal(addedOnEdge(first, wider, streakCut(crop), emitting([[1, 'F'], [4, '8'], [6, '7'], [9, '1']]), dict, false, true), false);
    assert.equal(addedOnEdge(first, wider, crop, emitting([[1, 'F'], [4, '8'], [6, '7'], [9, '3']]), dict, false, true), false);
    assert.equal(addedOnEdge(first, wider, crop, emitting([[1, 'F'], [4, '8'], [6, '1']]), dict, false, true), false);
    // Only the widened end is judged.
    assert.equal(addedOnEdge(first, wider, crop, emitting([[1, 'F'], [4, '8'], [6, '7'], [9, '1']]), dict, true, false), false);
  });

  test('ERR 52\'s 1 read on a streak that leans back into the box\'s last glyph is no glyph', async () => {
    // The streak's columns inside the box are not the line's glyphs: measured with them, the glyphs looked as tall
    // as the streak and the 1 stood.
    const crop = frameToRgb(await decodeImageFile(LEANING));
    const tall = (x1: number): TextBox => ({ points: [[0, 0], [x1, 0], [x1, 60], [0, 60]], score: 0.9 });
    const read = emitting([[1, 'E'], [4, 'R'], [7, 'R'], [13, '5'], [16, '2'], [19, '1']], 23);
    assert.equal(addedOnEdge(tall(185.8), tall(228), crop, read, dict, false, true), true);
    assert.equal(addedOnEdge(tall(185.8), tall(228), crop, emitting([[1, 'E'], [4, 'R'], [7, 'R'], [13, '5'], [16, '2']], 23), dict, false, true), false, 'nothing added');
  });
});

// scripts/gen-panels-drawn.ts seed 381 frame 59 (a fresh set, never tuned on): H31 on a small white LED turned about
// ten degrees. The second look's box stopped short of the 1; widened at the right the recogniser read H31, but the
// columns judged around the 1's emission reached back into the box's last glyph, whose right upright, on the turned
// crop, ran into the crop's corner through its whole height: the 1 was taken for an edge and H 3 was reported.
const TILTED_H31 = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-seven-led-tilted-h31-one-past-box-beside-tall-3.jpg');

/** A 72×30 crop: ground 20, glyph uprights of rows 8..22 at x 5, 15, 25, 35, a column running every row from `tallAt`, a 1 (rows 8..22) at x 56..58. */
function tiltedCrop(tallAt: number, tallWidth = 2): RgbImage {
  const w = 72, h = 30, data = new Float32Array(w * h * 3).fill(20);
  const ink = (x0: number, x1: number, y0: number, y1: number): void => {
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) for (let c = 0; c < 3; c++) data[3 * (y * w + x) + c] = 200;
  };
  for (const x of [5, 15, 25, 35]) ink(x, x + 2, 8, 22);
  ink(tallAt, tallAt + tallWidth - 1, 0, h - 1);
  ink(56, 58, 8, 22);
  return { data, width: w, height: h };
}

describe('the upright judged is the one read past the end', { timeout: 240_000 }, () => {
  const crop = tiltedCrop(50);
  const px = (STEP_PIXELS * crop.width) / lineWidth(crop);
  const step = Math.round(57 / px - 0.5);
  const narrow = (x1: number): TextBox => ({ points: [[0, 0], [x1, 0], [x1, 30], [0, 30]], score: 0.9 });
  const read = emitting([[0, 'H'], [1, '3'], [step, '1']], step + 3);

  test('a tall column of the box\'s last glyph, ink-free columns between it and the added 1, does not make the 1 an edge', () => {
    assert.ok(Math.floor((step + 0.5) * px - 0.25 * 30) <= 51, 'the tall column lies within the window around the 1');
    assert.equal(addedOnEdge(narrow(50.8), narrow(72), crop, read, dict, false, true), false);
  });

  test('the same tall column joined to the 1 (no gap between) is judged with it: an edge', () => {
    assert.equal(addedOnEdge(narrow(50.8), narrow(72), tiltedCrop(50, 6), read, dict, false, true), true);
  });

  test('H31 on a whole frame, with the catalog\'s patterns and without', async () => {
    assert.deepEqual(await codesWithAndWithoutCatalog(TILTED_H31, ['/H\\d{2}/', '/E\\d{2,3}/']), [['H31'], ['H31']]);
  });
});
