// lineShowsDark (cell-letters.ts) judges only the letter patterns a cell shows: those whose unlit positions are dark in
// the cell. H is drawn as bcefg or as the lower-case h (cefg); a cell that lights its top bar or its upper right upright
// shows neither, and the line's other cells proving the positions H leaves dark says nothing for an H there. The crop is
// the display line of a font-drawn panel (scripts/gen-panels.ts seed 352, frame 111: A71 in DSEG7 Classic Bold Italic
// on a tilted LCD) as the reader cuts it; the recogniser reads 871.
// The hand-made A30 line is in prefix-letter-line.test.ts, beside the other lineShowsDark cases and their cell helper.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cellLetter, lineShowsDark } from '../../src/vision/ocr/cell-letters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/a71-seven-lcd-read-871.png');

describe('a letter is proven only by a pattern its cell shows', { timeout: 120_000 }, () => {
  const r = realReader();

  test('A71 read 871: the A cell, its top bar lit, is no H however the line proves H\'s dark places', async () => {
    const crop = frameToRgb(await decodeImageFile(fixture));
    const line = readSegmentCells(crop);
    assert.ok(line && line.segments === 7, 'read as seven segments');
    const first = line.cells[0]!;
    assert.equal(cellLetter(first), 'A');
    assert.ok(first.lit.a! > 0.9 && first.lit.b! > 0.9, 'top bar and upper right upright lit');
    assert.equal(lineShowsDark(line.cells, 0, 'H'), false);
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.replace(/\s+/g, ''), '871');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/[AH]\\d{2}/'] })]) {
      const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.ok(!/^H/.test(read.text), JSON.stringify(read));
    }
  });
});
