// A box a look found that reaches past a line read already by more than a character is not hidden by that line
// (src/vision/ocr/box-beyond-line.ts, used by frame-doubt.ts hides): it holds characters the line did not read.
// Checked on the predicate with boxes measured on the fixture, then through the real models on a camera frame whose
// stroke line ended where a glare spot washed out the end of the display.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realReaders } from '../helpers/real-readers.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { reachesPastLine } from '../../src/vision/ocr/box-beyond-line.js';
import { hides, type ReadLine } from '../../src/vision/ocr/frame-doubt.js';

const at = (x: number, y: number, width: number, height: number): ReadLine['box'] => ({ x, y, width, height });

test('a box reaching past a line read by more than its own height is not hidden by it', () => {
  // Measured on the fixture below: the first pass's stroke line over ERR, and the second look's box over ERR 00.
  const piece: ReadLine = { text: 'Ere', confidence: 0.89, box: at(365, 393, 92, 60), reading: { kind: 'text' } };
  const whole = at(384, 407, 130, 34);
  assert.equal(reachesPastLine(whole, piece.box), true);
  assert.equal(hides(piece, whole, true), false, 'the box holds the 00 the line did not read');
  assert.equal(hides(piece, whole, false), false);
  // About the line's own box, or a little larger: read already.
  assert.equal(reachesPastLine(at(368, 400, 95, 40), piece.box), false);
  assert.equal(hides(piece, at(368, 400, 95, 40), false), true);
  const code: ReadLine = { text: 'F69', confidence: 0.95, box: at(150, 100, 80, 40), reading: { kind: 'alarm' } };
  assert.equal(hides(code, at(120, 90, 160, 60), true), true, 'a box a little larger than a sure line');
  assert.equal(hides(code, at(120, 100, 180, 40), true), false, 'a box reaching two characters past its end');
  // Measured on the ALM 59 fixture: the letters boxed alone, read unsurely, and the second look's box over the line.
  const letters: ReadLine = { text: '北店', confidence: 0.19, box: at(656, 343, 94, 32), reading: { kind: 'text' } };
  assert.equal(hides(letters, at(633, 327, 236, 72), true), false, 'the box holds the 59 past the letters');
});

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');

describe('a display line whose end a glare spot cut off the first pass\'s stroke line, through the real models', { timeout: 240_000 }, () => {
  const real = realReaders({ firstPassOnly: true });

  /** The frame read by the first pass alone (no code, `piece` among its lines) and by the whole reader (`code`). */
  async function foundOnlyWhole(file: string, code: string, piece?: string): Promise<Array<{ text: string; found?: string }>> {
    const frame = await decodeImageFile(join(FRAMES, file));
    const first = await real.firstPassOnly.analyze(frame);
    const firstLines = first.detail.ocr as Array<{ text: string }>;
    assert.deepEqual(first.alarmCodes, [], JSON.stringify(firstLines));
    if (piece) assert.ok(firstLines.some((l) => l.text === piece), JSON.stringify(firstLines));
    const v = await real.analyzer.analyze(frame);
    assert.deepEqual(v.alarmCodes, [code], JSON.stringify(v.detail.ocr));
    return v.detail.ocr as Array<{ text: string; found?: string }>;
  }

  // scripts/gen-panels-drawn.ts seed 258 frame 7: an amber LED seven-segment ERR 00, tilted, a glare spot over its
  // 00, over-exposed, 960x540 JPEG. The detector misses the display at its first scale; the stroke line stops at ERR.
  test('drawn-seven-segment-err00-glare-ends-stroke-line.jpg: ERR 00 read as "Ere" by its stroke line', async () => {
    await foundOnlyWhole('drawn-seven-segment-err00-glare-ends-stroke-line.jpg', 'ERR 00');
  });

  // scripts/gen-panels-drawn.ts seed 258 frame 70: a blue-white LCD dot-matrix ALM 59, tilted, a glare streak, 1024x576
  // JPEG. The first pass boxes ALM apart from 59 and reads it as two unknown glyphs at 0.19; the second look's box
  // over the whole line reaches past that box by the width of 59.
  test('drawn-dot-matrix-alm59-unsure-letters-hide-line.jpg: ALM 59 read as an unsure piece and a bare 59', async () => {
    await foundOnlyWhole('drawn-dot-matrix-alm59-unsure-letters-hide-line.jpg', 'ALM59', '59');
  });

  // A blue dot-matrix FLT95 with ghost dots and a glare streak, 640x360 JPEG (display-search.test.ts had it as a
  // display only the finer stroke search found): the first pass reads FLT alone, on a box that ends before the 95;
  // the second look's box over the whole line reaches past it by two characters and is read.
  test('drawn-dot-matrix-flt95-stray-digit.jpg: FLT95 read as FLT by the first pass', async () => {
    const lines = await foundOnlyWhole('drawn-dot-matrix-flt95-stray-digit.jpg', 'FLT95', 'FLT');
    assert.equal(lines.find((o) => o.text === 'FLT95')?.found, 'second-look');
  });
});
