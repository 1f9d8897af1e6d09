// Decimal points the segment cell reader's column runs did not give a cell of their own (cell-points.ts). The crops
// are display lines of this branch's development set (font-drawn seed 180, scripts/gen-panels.ts): 98.3 on a blurred
// slanted green LED (frame 51: the point joined to the foot of the 8's right upright), PRES 5.2 on a bold slanted LCD
// (frame 174: the E's bottom bar end no point),
// C-61 on a slanted LCD (frame 67) and EMERGENCY STOP on fourteen segments (frame 40: the R's leg foot no point).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { readSegmentCells, type SegmentLine } from '../../src/vision/ocr/segment-cells.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);
const cellsOf = async (name: string): Promise<SegmentLine> => {
  const line = readSegmentCells(frameToRgb(await decodeImageFile(crop(name))));
  assert.ok(line, `${name}: segment cells`);
  return line;
};
/** The line's cells as shapes: '.' for a point, '-' a flat dash, '1' a narrow upright, '#' a cell read by its segments. */
const shapes = (line: SegmentLine): string => line.cells.map((c) => c.shape ?? '#').join('');

test('a point joined to the foot of the upright before it is a point cell (98.3)', async () => {
  assert.equal(shapes(await cellsOf('v98p3-point-on-eight-foot-green-led.png')), '##.#');
});

test('a bottom bar\'s end inside its own glyph is no point; the point of the value stays (PRES 5.2)', async () => {
  assert.equal(shapes(await cellsOf('pres5p2-e-bar-end-bold-lcd.png')), '#####.#');
});

test('codes gain no point: a dash stays a dash, a fourteen-segment leg foot is no point', async () => {
  // The dash is a full cell here (its glyph '-'), the 1 a narrow upright.
  assert.equal(shapes(await cellsOf('c61-dash-slanted-lcd.png')), '###1');
  assert.ok(!shapes(await cellsOf('emergency-stop-r-leg-fourteen.png')).includes('.'));
});
