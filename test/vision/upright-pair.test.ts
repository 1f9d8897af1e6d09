// Two narrow uprights closer together than a cell are one glyph's two sides (upright-foot.ts pairedUprights): an H
// whose middle bar a glare spot washed away is found as two narrow runs, and read as two 1s it made H35 the status
// 1135. Synthetic lines: the distances that join and those that do not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SegmentCell } from '../../src/vision/ocr/segment-cell.js';
import { pairedUprights, type SampleCell } from '../../src/vision/ocr/upright-foot.js';

const CW = 21;
/** A narrow upright whose ink ends at x, placed a cell wide ending there (as segment-cells.ts places it). */
const upright = (x: number, spaceBefore = false): SegmentCell => ({ x0: x - CW + 1, x1: x, lit: {}, shape: '1', spaceBefore });
const whole = (x0: number): SegmentCell => ({ x0, x1: x0 + CW - 1, lit: { a: 1, b: 1, c: 1, d: 1, g: 1 }, spaceBefore: false });
/** An H's cell with its middle bar under glare: both uprights lit, the bars dark, the middle unjudged. */
const hCell: SampleCell = () => ({ lit: { a: 0.05, b: 1, c: 1, d: 0.05, e: 1, f: 1, g: NaN }, peak: 0.9 });
const shapes = (cells: readonly SegmentCell[]): string => cells.map((c) => c.shape ?? '#').join('');

describe("a glyph's two uprights found apart", () => {
  test('two uprights less than a cell apart become one whole cell ending at the right one', () => {
    // H35: uprights ending at 8 and 26 (18 apart, cells 21 wide), then a 3 and a 5 at a pitch of 28.
    const cells = [upright(8, true), upright(26), whole(39), whole(66)];
    assert.equal(pairedUprights(cells, CW, hCell), 1);
    assert.equal(shapes(cells), '###');
    assert.deepEqual([cells[0]!.x0, cells[0]!.x1], [6, 26]);
    assert.equal(cells[0]!.lit.e, 1, 'sampled as a whole cell');
    assert.equal(cells[0]!.spaceBefore, true, 'the space before the first upright is kept');
  });

  test('two 1s a pitch apart, or apart by a space, stay two 1s', () => {
    const ones = [whole(0), upright(48), upright(76)];
    assert.equal(pairedUprights(ones, CW, hCell), 0);
    assert.equal(shapes(ones), '#11');
    const spaced = [upright(20), upright(38, true)];
    assert.equal(pairedUprights(spaced, CW, hCell), 0);
    // Three uprights in a row (a 1 beside a 0 whose bars are put out, AL4710): which two are one glyph is not known.
    const three = [whole(0), upright(257), upright(290), upright(312)];
    assert.equal(pairedUprights(three, 38, hCell), 0);
    assert.equal(shapes(three), '#111');
    // An upright beside a whole cell is not joined to it (that is upright-in-cell.ts's case).
    const beside = [whole(0), upright(30)];
    assert.equal(pairedUprights(beside, CW, hCell), 0);
  });
});
