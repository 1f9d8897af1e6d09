// A 1 at the low end of a line turned in its crop (segment-cells.ts: an upright is tall as the line's glyphs are).
// The band of a turned line holds every glyph's rows along it, so it is deeper than any one glyph; a 1's upright has
// no top or bottom bar and is shorter still, and measured against the band it was no cell at all: the code was
// reported a character short. The crop is a line box of a development set as the reader cuts it:
// - flt-61-turned-last-one.png: scripts/gen-panels-drawn.ts seed 219 frame 123, FLT 61 on a white seven-segment LED,
//   tilted, motion-blurred, noisy; its glyphs' ink spans about 30 rows of a 42-row band, the 1's upright 24. The
//   recogniser read "Ftes:"; the cells read FLT 6, reported as the alarm FLT 6.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a 1 at the low end of a turned line', { timeout: 180_000 }, () => {
  const r = realReader();

  test('is a cell of its own, one pitch past the 6, and the code is FLT 61', async () => {
    const img = frameToRgb(await decodeImageFile(crop('flt-61-turned-last-one.png')));
    const cells = readSegmentCells(img)!;
    const shown = JSON.stringify(cells.cells.map((c) => [c.x0, c.x1, c.shape ?? '']));
    assert.equal(cells.cells.length, 5, shown);
    const [six, one] = cells.cells.slice(-2) as [typeof cells.cells[0], typeof cells.cells[0]];
    assert.equal(one.shape, '1', shown);
    // The upright stands right of the 6, not over it, and about one cell pitch on (a cell is ~18 px, the pitch ~24).
    assert.ok(one.x1 - six.x1 > 15 && one.x1 - six.x1 < 35, shown);
    const [rec] = await recogniseCrops(r.reader, [img]);
    const line = interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text, 'FLT 61', JSON.stringify(line));
  });
});
