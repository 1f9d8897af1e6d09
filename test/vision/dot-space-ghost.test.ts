// The dark cell between a dot-matrix code's two words (ALM 06, ERR 95) shows its unlit dots faintly, a dim block of
// dots the recogniser reads as a J (ALMJ06), which the grammar then makes a digit of (ALM706). The segment cells see
// the space there; the J is drawn much weaker than its lit neighbours, so it is an unlit cell like a seven-segment
// display's dark 8 between two words (ghost-characters.ts innerGhosts), and the code is read without it.
// The crop: scripts/gen-panels-drawn.ts seed 264 frame 773 (ALM 06, dot matrix, its dots failing the dot lattice test),
// the display line as the reader cut it, saved losslessly.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crops = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/crops');

describe('an unlit dot-matrix cell read as J between a code\'s words', { timeout: 120_000 }, () => {
  const r = realReader();

  test('ALM 06 whose dark middle cell the recogniser reads J is ALM 06, not ALM706', async () => {
    const crop = frameToRgb(await decodeImageFile(join(crops, 'drawn-dot-matrix-alm-06-space-read-j.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), 'ALMJ06', 'the recogniser reads a J in the space');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/ALM ?\\d{2,3}/'] })]) {
      const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
      assert.equal(read.text.replace(/\s/g, ''), 'ALM06', JSON.stringify(read));
    }
  });
});
