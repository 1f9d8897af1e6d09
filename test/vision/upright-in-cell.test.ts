// A glyph's side upright standing apart from the rest of its ink (a thin font drawn with gaps between its segments)
// is no 1 of its own once the glyph's placed cell takes it in as its lit side (upright-in-cell.ts). The crop is a line
// box as the reader cuts it: scripts/gen-panels.ts seed 277 frame 77 (helper cells57's set), A46 on an inverted LCD
// in DSEG7ModernMini-Regular, reported A416 (cells A 4 1 6, the 6's left upright read twice; recogniser 846).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells, type SegmentCell } from '../../src/vision/ocr/segment-cells.js';
import { dropUprightsInCells } from '../../src/vision/ocr/upright-in-cell.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/a46-thin-lcd-six-upright-apart.png');

const cell = (x0: number, x1: number, lit: SegmentCell['lit'], shape?: SegmentCell['shape']): SegmentCell =>
  ({ x0, x1, lit, spaceBefore: false, ...(shape ? { shape } : {}) });

describe('an upright that a placed glyph takes in as its side', { timeout: 180_000 }, () => {
  const r = realReader();

  test('A46: the 6\'s left upright is the 6\'s, no 1, and the code is A46', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const line = readSegmentCells(crop)!;
    const shown = JSON.stringify(line.cells.map((c) => [c.x0, c.x1, c.shape]));
    assert.equal(line.cells.length, 3, shown);
    assert.ok(line.cells.every((c) => !c.shape), shown);
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.text.replace(/\s/g, ''), 'A46', JSON.stringify(read));
  });

  test('a 1 in a cell of its own, or one its neighbour does not read as a lit side, stays', () => {
    const seven = { a: 1, b: 1, c: 1, d: 0, e: 0, f: 0, g: 0 };
    // 1 then 7: the 1's upright ends a pitch before the 7's cell.
    const apart = [cell(0, 19, {}, '1'), cell(24, 43, seven)];
    dropUprightsInCells(apart, 4);
    assert.equal(apart.length, 2);
    // The 7's cell reaches over the upright but reads its left side dark: the upright is not the 7's.
    const dark = [cell(0, 19, {}, '1'), cell(15, 34, seven)];
    dropUprightsInCells(dark, 4);
    assert.equal(dark.length, 2);
    // A 6 whose left side is lit over the upright: the upright is the 6's, and the space before passes to it.
    const six = [cell(0, 19, { a: 1, b: 1, c: 1, d: 1, e: 1, f: 1, g: 1 }), cell(26, 45, {}, '1'), cell(42, 61, { a: 1, c: 1, d: 1, e: 1, f: 1, g: 1 })];
    six[1]!.spaceBefore = true;
    dropUprightsInCells(six, 4);
    assert.deepEqual(six.map((c) => [c.x0, c.shape ?? '']), [[0, ''], [42, '']]);
    assert.equal(six[1]!.spaceBefore, true);
  });
});
