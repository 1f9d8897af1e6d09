// A digit the recogniser read surely over a cell that clearly shows a digit of fewer segments (dark-segment-digits.ts)
// is read as the cell's digit even where the recogniser all but ruled that digit out, when the segment cells read the
// whole line as a code and that code is the one the swap makes (LINE_AGREES). The crop is the display line of drawn
// set seed 348 (scripts/gen-panels.ts) frame 16: AL0786 in DSEG14 Modern Mini Bold on a grey LCD with ghost segments,
// tilted, blurred and noisy. Its 7 is drawn with its upper left upright (a b c f); the recogniser reads 8L0986, the 9
// at 0.99 and the 7 at 0.006, and AL0986 (a wrong code) was reported with and without a catalog.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/al0786-hooked-seven-fourteen-lcd-read-al0986.png');

describe('a hooked 7 read 9 on a line the cells read whole', { timeout: 120_000 }, () => {
  const r = realReader();

  test('AL0786 on a ghost-lit LCD: the recogniser reads ..0986, the cells AL0786; AL0786 is read', async () => {
    const crop = frameToRgb(await decodeImageFile(file));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.match(rec!.greedy.text, /0986$/, `the recogniser reads a 9 there (${rec!.greedy.text})`);
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/AL\\d{3,4}/'] })]) {
      const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
      assert.equal(line.text.toUpperCase(), 'AL0786', JSON.stringify(line));
    }
  });
});
