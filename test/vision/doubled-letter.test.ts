// A code's letter drawn twice in a row that the recogniser read once (doubled-letter.ts). The crops are display lines
// of development panels as the reader cuts them: ERR-525 on a dim seven-segment LED under a glare spot
// (scripts/gen-panels-drawn.ts seed 351, frame 91) and ERR 44 on a tilted seven-segment LCD (scripts/gen-panels.ts
// seed 352, frame 77); the recogniser reads Er--525 and Er-44, its two r run together, the cells ERR-527 and ERR 44.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { withDoubledLetter } from '../../src/vision/ocr/doubled-letter.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crops = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops');

describe('a doubled letter the recogniser read once', { timeout: 120_000 }, () => {
  const r = realReader();

  for (const [file, read, code] of [['err-525-dim-led-read-er-525.png', 'Er--525', 'ERR-525'], ['err-44-lcd-read-er-dash-44.png', 'Er-44', 'ERR 44']] as const) {
    test(`${code}: the recogniser's ${read}, the cells' two r`, async () => {
      const crop = frameToRgb(await decodeImageFile(join(crops, file)));
      const [rec] = await recogniseCrops(r.reader, [crop]);
      assert.equal(rec!.greedy.text.trim(), read);
      const out = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
      assert.equal(out.reading?.kind, 'alarm', JSON.stringify(out));
      assert.equal(out.reading?.code, code);
    });
  }

  test('only where the cells read the letters with one doubled and as many characters after them', () => {
    const g = new LineGrammar();
    const er = g.classifyText('ER-525', 0.9);
    assert.equal(er.kind, 'alarm');
    assert.equal(withDoubledLetter(er, 'ERR-527', g).code, 'ERR-525', 'the digits stay the recogniser\'s');
    assert.equal(withDoubledLetter(er, 'ERR-5257', g), er, 'a digit more under the cells: not one for one');
    assert.equal(withDoubledLetter(er, 'ERA-525', g), er, 'another letter, not the same one twice');
    assert.equal(withDoubledLetter(er, 'ER-525', g), er);
    assert.equal(withDoubledLetter(g.classifyText('RUN 1450', 0.9), 'RUUN 1450', g).kind, 'status', 'a status stays one');
  });
});
