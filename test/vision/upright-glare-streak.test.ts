// Glare streaks that hardly lean, and what a streak hides of a glyph (segment-streaks.ts pastTheGlyphs,
// glare-unseen.ts hiddenBeside). Both frames are scripts/gen-panels-drawn.ts seed 243: frame 284 (A23 on a blue
// seven-segment LED with ghost segments, tilted, an upright streak at the line's right end; stored as JPEG) and frame 2
// (E-909 on an orange seven-segment LED with ghost segments, blurred, JPEG, an upright streak over the first 9's left
// half). An upright line from the crop's top to its bottom was never taken for a streak (a 1 or a bezel edge could be
// one): on A23 it stretched the text band over the whole crop and the cells read nothing, the recogniser 823; on
// E-909 it lit the 9's bars, read F-509. It is a streak where it is lit above and below every glyph of the line.
// Erased, it left the 9's right uprights alone, read as a 1 (E-109); that upright's cell now reaches over the streak,
// the bars the streak hides unjudged, and no wrong code comes out.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { findStreaks } from '../../src/vision/ocr/segment-streaks.js';
import { realReaders } from '../helpers/real-readers.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');
const A23 = join(FIXTURES, 'frames/drawn-seven-segment-a23-upright-streak.jpg');
const E909 = join(FIXTURES, 'frames/drawn-seven-segment-e-909-streak-over-9.jpg');
// The lines' crops as the reader cut them (bench/_ocr-debug.ts cells FRAME --save=DIR).
const A23_CROP = join(FIXTURES, 'segment-crops/a23-upright-streak-blue-led.png');
const E909_CROP = join(FIXTURES, 'segment-crops/e-909-streak-over-9-orange-led.png');

describe('upright glare streaks', { timeout: 240_000 }, () => {
  test('an upright line lit past every glyph is a streak; an upright no taller than the glyphs is not', () => {
    const w = 40, h = 30;
    const light = new Float32Array(w * h);
    // Two glyph uprights on rows 6..23, and a line of light on every row at column 30.
    for (let y = 6; y <= 23; y++) { light[y * w + 5] = 1; light[y * w + 15] = 1; }
    for (let y = 0; y < h; y++) light[y * w + 30] = 1;
    const found = findStreaks(light, w, h, 0.5);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.ok(Math.abs(found[0]!.x0 - 30) <= 1 && Math.abs(found[0]!.slope) < 0.08);
    // The same line stopping where the glyphs do is a 1's upright.
    for (const y of [0, 1, 2, 3, 4, 5, 24, 25, 26, 27, 28, 29]) light[y * w + 30] = 0;
    assert.deepEqual(findStreaks(light, w, h, 0.5), []);
  });

  test('A23: the streak at the line\'s end leaves the text band to the glyphs, and the cells read A, 2, 3', async () => {
    const crop = frameToRgb(await decodeImageFile(A23_CROP));
    const line = readSegmentCells(crop)!;
    assert.ok(line.top > 0 && line.bottom < crop.height - 1, `band ${line.top}..${line.bottom} of ${crop.height} rows`);
    assert.equal(line.cells.length, 3);
    const three = line.cells[2]!.lit;
    assert.ok(three.a! > 0.5 && three.d! > 0.5 && three.e! < 0.5 && three.f! < 0.5, JSON.stringify(three));
  });

  test('E-909: the 9 half under the streak is a whole cell, the bars the streak hides unjudged', async () => {
    const crop = frameToRgb(await decodeImageFile(E909_CROP));
    const line = readSegmentCells(crop)!;
    const glyphs = line.cells.filter((c) => c.shape !== '-' && c.shape !== '.');
    assert.equal(glyphs.length, 4, JSON.stringify(line.cells.map((c) => [c.x0, c.x1, c.shape])));
    const nine = glyphs[1]!;
    assert.equal(nine.shape, undefined, 'not an upright read as a 1');
    const unjudged = Object.values(nine.lit).filter((v) => Number.isNaN(v)).length;
    assert.ok(unjudged >= 2, JSON.stringify(nine.lit));
    assert.ok(nine.lit.b! > 0.5 && nine.lit.c! > 0.5, JSON.stringify(nine.lit));
  });

  const r = realReaders();

  test('A23 with an upright streak at its end is read A23', async () => {
    const v = await r.analyzer.analyze(await decodeImageFile(A23));
    assert.deepEqual(v.alarmCodes, ['A23'], JSON.stringify(v.text));
  });

  test('E-909 with a streak over its first 9 gives no wrong code', async () => {
    const v = await r.analyzer.analyze(await decodeImageFile(E909));
    assert.ok(v.alarmCodes.every((c) => c.replace(/\s+/g, '') === 'E-909'), JSON.stringify(v.alarmCodes));
  });
});
