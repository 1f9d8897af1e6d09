// A decimal point the recogniser read that the segment cells missed (recognised-point.ts). The crop is the display
// line of a font-drawn panel (scripts/gen-panels.ts seed 212, frame 18: 46.1 in DSEG14 Modern Light Italic on a
// glaring, tilted LCD, JPEG) as the reader cuts it: the recogniser reads `46.1`, the cells `461` (the point too faint
// for a cell of its own), and the cells decided the line: the status value was reported as 461. The pure rule: a
// point goes back only into a status number whose digits the recogniser read with it, and never makes or unmakes a code.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { withRecognisedPoint } from '../../src/vision/ocr/recognised-point.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crops = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops');

describe('a decimal point the recogniser read and the cells missed', { timeout: 120_000 }, () => {
  const r = realReader();

  test('46.1 whose cells read 461 is the value 46.1, with and without a catalog', async () => {
    const crop = frameToRgb(await decodeImageFile(join(crops, 'v46p1-fourteen-glare-lcd-cells-no-point.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), '46.1');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/E\\d{2,3}/'] })]) {
      const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(read.cells, '461', JSON.stringify(read));
      assert.equal(read.reading?.kind, 'status', JSON.stringify(read));
      assert.equal(read.text, '46.1', JSON.stringify(read));
      assert.equal(read.reading?.value, '46.1');
    }
  });

  test('the point goes back only where the digits agree, and only into a status', () => {
    const g = new LineGrammar();
    assert.equal(withRecognisedPoint(g.classifyText('PRES 26'), 'PRES 2.6', g)?.text, 'PRES 2.6');
    assert.equal(withRecognisedPoint(g.classifyText('PRES 28'), 'PRES 2.6', g), null, 'other digits: the cells stand');
    assert.equal(withRecognisedPoint(g.classifyText('PRES 26'), 'PRES 26', g), null, 'no point read');
    assert.equal(withRecognisedPoint(g.classifyText('E461'), 'E46.1', g), null, 'a code is not touched');
  });
});
