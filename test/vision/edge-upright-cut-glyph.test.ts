// An upright at a line crop's end that is what the box's end left of a glyph it cut through (withoutEdgeUprights in
// line-arbitration.ts). An upright's cell is placed a whole cell wide ending at its ink, so it reaches over the glyph
// before it; where the upright stands and whether the recogniser read anything is weighed at its ink. The crops are
// line boxes of this stop's development sets as the reader cuts them, through the real recogniser:
// - hot-sign-cut-t-stem.png: scripts/gen-panels.ts seed 188 frame 91, a printed HOT sign on a yellow plate whose box
//   ends in the T's stem; the cells read HO1 and the grammar made it the alarm H01.
// - f-87-tilted-box-cut-after-dash.png: scripts/gen-panels-drawn.ts seed 187 frame 123, F-87 on a green seven-segment
//   LED, tilted, in perspective, blurred, whose box ends in the 8's left uprights; the cells read F-1, reported as F-1.
// - err-991-last-one-at-crop-end.png: scripts/gen-panels-drawn.ts seed 214 frame 284, ERR-991 on an over-exposed orange
//   fourteen-segment LED whose box ends at the last 1's upright; the recogniser read ERR-991, its 1 emitted a step
//   left of the upright's ink, and the upright was dropped as an edge: reported ERR-99.
// - al8561-seven-ghost-last-one-read-8.png: scripts/gen-panels-drawn.ts seed 371 frame 45, AL8561 on a blurred red
//   seven-segment LED with ghost segments, whose box ends at the last 1's upright; the recogniser read 888568 (the
//   ghost segments lit), its last 8 a step left of the 1's ink; the cells read AL8561 and the 1 was dropped: AL856.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine, withoutEdgeUprights } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('an upright at the crop\'s end left of a glyph the box cut through', { timeout: 180_000 }, () => {
  const r = realReader();
  const read = async (name: string) => {
    const img = frameToRgb(await decodeImageFile(crop(name)));
    const [rec] = await recogniseCrops(r.reader, [img]);
    return { img, rec: rec!, line: interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar() }) };
  };

  test('HOT cut in its T\'s stem is the word HO, not the alarm H01', async () => {
    const { img, rec, line } = await read('hot-sign-cut-t-stem.png');
    // The cells see the stem as a third cell, a narrow upright whose cell reaches back over the O.
    const cells = readSegmentCells(img)!;
    const last = cells.cells[cells.cells.length - 1]!;
    assert.equal(last.shape, '1', JSON.stringify(cells.cells.map((c) => [c.x0, c.x1, c.shape])));
    assert.ok(last.x0 < cells.cells[cells.cells.length - 2]!.x1, 'the upright\'s cell overlaps the O');
    assert.equal(withoutEdgeUprights(cells, rec.lattice, img.width, img.height).cells.length, cells.cells.length - 1);
    assert.notEqual(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text.replace(/\s/g, ''), 'HO', JSON.stringify(line));
  });

  test('a last 1 the recogniser read, as many glyphs as the cells, is kept: ERR-991, not ERR-99', async () => {
    const { rec, line } = await read('err-991-last-one-at-crop-end.png');
    assert.equal(rec.greedy.text.trim(), 'ERR-991');
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text.replace(/\s/g, ''), 'ERR-991', JSON.stringify(line));
  });

  test('a last 1 the recogniser read as another digit, its cell otherwise dark, is kept: AL8561, not AL856', async () => {
    const { img, rec, line } = await read('al8561-seven-ghost-last-one-read-8.png');
    assert.equal(rec.greedy.text.trim(), '888568');
    const cells = readSegmentCells(img)!;
    assert.equal(cells.cells[cells.cells.length - 1]!.shape, '1');
    assert.equal(withoutEdgeUprights(cells, rec.lattice, img.width, img.height, rec.greedy.text).cells.length, cells.cells.length);
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text.replace(/\s/g, ''), 'AL8561', JSON.stringify(line));
    // Read as one glyph fewer, or ending in a letter, the upright is still an edge or a cut glyph.
    assert.equal(withoutEdgeUprights(cells, rec.lattice, img.width, img.height, '88856').cells.length, cells.cells.length - 1);
    assert.equal(withoutEdgeUprights(cells, rec.lattice, img.width, img.height, '88856T').cells.length, cells.cells.length - 1);
  });

  test('F-87 cut after its dash reports no code F-1', async () => {
    const { line } = await read('f-87-tilted-box-cut-after-dash.png');
    assert.notEqual(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.doesNotMatch(line.text, /1/, JSON.stringify(line));
  });
});
