// A display the recogniser reads nothing on, whose cells clearly spell a code, is read from its cells
// (unread-cells.ts); cells that spell a status, or too few cells, give nothing. The crop is the display line of
// development set drawn1 frame 105 (ALM 54 on an over-exposed sixteen-segment VFD with ghost segments, JPEG), as the
// reader cuts it: the recogniser emits only blanks there. The status line is DSEG14 drawn with ImageMagick.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { codeOfUnreadCells } from '../../src/vision/ocr/unread-cells.js';
import { onlyAlikeChanged } from '../../src/vision/ocr/segment-glyphs.js';
import { silentLattice } from '../helpers/lattice.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';
import { dsegLabel } from '../helpers/dseg-label.js';

const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/alm54-vfd-unread.png');
const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. '];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);

const draw = (text: string): RgbImage => dsegLabel(text, { font: 'DSEG14Classic-Regular.ttf', background: '#050805', fill: '#40ffb0' });

describe('a display the recogniser read nothing on', { timeout: 120_000 }, () => {
  const r = realReader();

  test('ALM 54 on an over-exposed VFD: the recogniser reads nothing, the cells read the code', async () => {
    const crop = frameToRgb(await decodeImageFile(file));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), '', 'the recogniser reads nothing here');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/ALM \\d{2}/'] })]) {
      const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
      assert.equal(line.text, 'ALM 54');
    }
  });
});

test('cells that spell a status, or too few cells, read nothing', () => {
  const g = new LineGrammar();
  for (const text of ['ALM 54', 'E-371']) {
    const img = draw(text);
    assert.equal(codeOfUnreadCells(img, silentLattice(dict, 40), dict, g)?.reading.text, text, text);
  }
  for (const text of ['RUN 1450', 'E3']) {
    const img = draw(text);
    assert.equal(codeOfUnreadCells(img, silentLattice(dict, 40), dict, g), null, text);
  }
  assert.equal(onlyAlikeChanged('ALM S4', 'ALM 54', 14), true);
  assert.equal(onlyAlikeChanged('ALM B4', 'ALM 84', 14), false);
});
