// Cells that spell a code up to glyphs the display draws exactly alike (O for 0) speak for a line the recogniser
// read as no code, as cells that spell the code exactly do (line-arbitration.ts, segmentsSpeak): the grammar only
// chose between glyphs no segment tells apart. The crop is the display line of this branch's own drawn set i11h
// (scripts/gen-panels-drawn.ts, seed 11811) frame 53: ERR 01 on an amber fourteen-segment LED, slant 11, ghost
// segments, JPEG, as the reader cuts it. The recogniser reads it BRR.A8A (the 0 as A); the cells read ERR O1.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine, segmentsSpeak } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/err01-fourteen-zero-read-a.png');

describe('cells spelling a code up to look-alikes', { timeout: 120_000 }, () => {
  const r = realReader();

  test('ERR O1 in the cells, BRR.A8A by the recogniser: the code ERR 01', async () => {
    const crop = frameToRgb(await decodeImageFile(file));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text, 'ERR 01', JSON.stringify(line));
  });
});

test('only look-alike changes count as the cells as they are; another change does not', () => {
  const g = new LineGrammar();
  const seg = { fit: 0.6, gaps: 1, unexplained: 0, hidden: 0, segments: 14 as const };
  const byRecogniser = g.classifyText('BRR.A8A', 0.49);
  // The grammar made the cells' O a 0 (drawn alike), at a cost.
  const alike = { ...g.classifyText('ERR 01', 0.8), constraintCost: 0.3, changed: 1 };
  assert.equal(segmentsSpeak({ ...seg, text: 'ERR O1' }, 6, alike, byRecogniser, 0.49), true);
  // The grammar made the cells' B an 8 (the bottom left upright tells them apart on fourteen segments): not as they are.
  assert.equal(segmentsSpeak({ ...seg, text: 'ERR B1' }, 6, { ...g.classifyText('ERR 81', 0.8), constraintCost: 0.3, changed: 1 }, byRecogniser, 0.49), false);
});
