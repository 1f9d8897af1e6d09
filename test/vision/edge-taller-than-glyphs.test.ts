// An upright far taller than a segment line's glyphs is no 1 of the line: it is the display window's or a bezel's
// edge that the box took in beside the line (segment-cells.ts EDGE_OF_GLYPH). withoutEdgeUprights drops an edge only
// where the recogniser read nothing over it or the edge runs to the crop's end; here the edge stands inside the crop,
// past the window's dark border, and the recogniser read an I there. The crop is a line box as the reader cuts it:
// scripts/gen-panels-drawn.ts seed 219 frame 179 (helper one47's set), ALM 51 on a white fourteen-segment LED,
// reported ALM 511 (cells ALM 511, recogniser RLMSI).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/alm-51-window-edge-past-line.png');

describe('an upright far taller than the line\'s glyphs', { timeout: 180_000 }, () => {
  const r = realReader();

  test('the window\'s edge past ALM 51 is no cell, and the code is ALM 51', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const cells = readSegmentCells(crop)!;
    // A L M, the space, 5 and 1: the edge past the 1 makes no sixth glyph cell.
    assert.equal(cells.cells.filter((c) => c.shape !== '.').length, 5, JSON.stringify(cells.cells.map((c) => [c.x0, c.x1, c.shape])));
    assert.equal(cells.cells[cells.cells.length - 1]!.shape, '1', 'the 1 itself stays');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text.replace(/\s/g, ''), 'ALM51', JSON.stringify(line));
  });
});
