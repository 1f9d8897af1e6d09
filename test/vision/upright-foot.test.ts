// A point the cell reader finds in a whole cell's room is a 1's foot (upright-foot.ts). The crop is the code line of a
// drawn frame of this branch's development set (scripts/gen-panels-drawn.ts, seed 195, frame 38: AL186 on a
// fourteen-segment VFD, over-exposed, a diagonal glare streak across the 1) as the reader cuts it. The streak leaves
// only the foot of the 1's upright, which the cells took for a point (A L . 8 6); the recogniser read RL86, nothing
// at the 1. Through the real recogniser. The second crop (font-drawn seed 196, frame 109: F708 on a slanted LCD, a
// wide glare wash over the 7, saved as JPEG to keep it small) has the foot of the 7's c upright in the same place, its
// other segments half lit under the glare: no 1, the point stays (it was read F108). The synthetic lines check where
// a point stays a point.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cell.js';
import { cellPitch, uprightFeet, type SampleSegments } from '../../src/vision/ocr/upright-foot.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);
/** The line's cells as shapes: '.' for a point, '-' a flat dash, '1' a narrow upright, '#' a cell read by its segments. */
const shapes = (cells: readonly SegmentCell[]): string => cells.map((c) => c.shape ?? '#').join('');

/** A cell's segments as a 1 shows them: its right uprights lit, the rest dark. */
const oneShown: SampleSegments = () => ({ a: 0, b: 1, c: 1, d: 0, e: 0, f: 0, g: 0 });
/** A washed-out 7: its c upright lit, its b upright judged dark. */
const sevenWashed: SampleSegments = () => ({ a: 0.1, b: 0.2, c: 1, d: 0.1, e: 0.1, f: 0.1, g: 0.1 });

describe('the foot of a 1 a glare streak washed out, in a whole cell\'s room', { timeout: 180_000 }, () => {
  const r = realReader();
  test('the cells count the 1 as an upright, not a point', async () => {
    const line = readSegmentCells(frameToRgb(await decodeImageFile(crop('al186-streak-one-foot-vfd.png'))));
    assert.ok(line, 'segment cells');
    assert.equal(shapes(line.cells), '##1##');
  });

  test('a 7 washed out but for its c upright\'s foot is no 1: the point stays (F708, not F108)', async () => {
    const line = readSegmentCells(frameToRgb(await decodeImageFile(crop('f708-glare-washed-seven-lcd.jpg'))));
    assert.ok(line, 'segment cells');
    assert.equal(shapes(line.cells), '#.##');
    // Where it stands, a 1's foot could be: segments that showed a 1 would make it one.
    const cells = line.cells.map((c) => ({ ...c }));
    const last = cells[cells.length - 1]!;
    assert.equal(uprightFeet(cells, last.x1 - last.x0 + 1, oneShown), 1, 'the display\'s cell width: its last cell\'s');
  });

  test('the line reads AL186, not AL86', async () => {
    const img = frameToRgb(await decodeImageFile(crop('al186-streak-one-foot-vfd.png')));
    const [rec] = await recogniseCrops(r.reader, [img]);
    assert.equal(rec!.greedy.text.replace(/\s/g, ''), 'RL86', 'the recogniser reads no 1 there');
    const read = interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.text.replace(/\s/g, ''), 'AL186', JSON.stringify(read));
  });
});

describe('uprightFeet on drawn cells (pitch 44, cells 35 wide)', () => {
  const full = (x0: number, spaceBefore = false): SegmentCell => ({ x0, x1: x0 + 34, lit: {}, spaceBefore });
  const point = (x0: number): SegmentCell => ({ x0, x1: x0 + 3, lit: {}, shape: '.', spaceBefore: false });

  test('the pitch leaves out the room looked at', () => {
    const cells = [full(0), full(44), point(112), full(132), full(176)];
    assert.equal(cellPitch(cells, cells[1]), 44);
  });

  test('a point in the right part of a missing cell becomes an upright ending at its ink', () => {
    const cells = [full(0), full(44), point(112), full(132), full(176)];
    assert.equal(uprightFeet(cells, 35, oneShown), 1);
    assert.equal(shapes(cells), '##1##');
    assert.deepEqual([cells[2]!.x0, cells[2]!.x1], [81, 115]);
  });

  test('a decimal point between two cells one pitch apart stays a point (12.5)', () => {
    const cells = [full(0), full(44), point(80), full(88)];
    assert.equal(uprightFeet(cells, 35, oneShown), 0);
    assert.equal(shapes(cells), '##.#');
  });

  test('a point right after its digit, past the missing cell\'s upright, stays a point', () => {
    // The point sits in the gap after the cell before (x 80), not in the missing cell's right part (x 105..122).
    const cells = [full(0), full(44), point(80), full(132), full(176)];
    assert.equal(uprightFeet(cells, 35, oneShown), 0);
    assert.equal(shapes(cells), '##.##');
  });

  test('a cell whose b upright is judged dark, or whose bar is under the glare, is no 1', () => {
    const cells = [full(0), full(44), point(112), full(132), full(176)];
    assert.equal(uprightFeet(cells, 35, sevenWashed), 0);
    assert.equal(uprightFeet(cells, 35, () => ({ a: NaN, b: NaN, c: 1, d: 0, e: 0, f: 0, g: 0 })), 0);
    assert.equal(shapes(cells), '##.##');
    assert.equal(uprightFeet(cells, 35, () => ({ a: 0, b: NaN, c: 1, d: 0, e: 0, f: 0, g: 0 })), 1, 'its b under the glare');
  });

  test('more room than one cell, or a space after the point, leaves the point alone', () => {
    const wide = [full(0), full(44), point(112), full(176), full(220)];
    assert.equal(uprightFeet(wide, 35, oneShown), 0);
    const spaced = [full(0), full(44), point(112), full(132, true), full(176)];
    assert.equal(uprightFeet(spaced, 35, oneShown), 0);
  });
});
