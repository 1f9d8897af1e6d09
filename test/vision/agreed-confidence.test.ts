// A line whose cells and whose recogniser, each under the grammar, read the same code (line-arbitration.ts,
// agreedConfidence): the two readers agree, so the line is as sure as the surer of them. The crop is the display
// line of a drawn panel of this branch's own set drawn26 (scripts/gen-panels-drawn.ts, seed 26, frame 83) as the
// reader cuts it: AL3981 on an inverted sixteen-segment LCD with ghost segments and a glare streak across the 8. The
// recogniser reads RL3981 (0.93), the grammar makes it AL3981; the cells read ML39A1, the grammar makes that AL3981
// too, but only by changing two characters (0.30), and the line was rejected under the analyser's acceptance.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { agreedConfidence, interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixture = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/al3981-sixteen-inverted-read-rl3981.png');

describe('both readers read the same code', { timeout: 120_000 }, () => {
  const r = realReader();
  test('AL3981 from cells ML39A1 and from RL3981: as sure as the recogniser\'s reading of it', async () => {
    const crop = frameToRgb(await decodeImageFile(fixture));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), 'RL3981');
    const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.text, 'AL3981');
    assert.equal(line.reading?.kind, 'alarm');
    assert.ok(line.confidence >= 0.5, `accepted: ${line.confidence}`);
    assert.equal(line.reading?.confidence, line.confidence);
  });
});

test('only the same code lends the surer confidence', () => {
  const g = new LineGrammar();
  const cells = { ...g.classifyText('AL3981', 0.3), changed: 2 };
  assert.equal(agreedConfidence(cells, g.classifyText('AL3981', 0.88)), 0.88);
  // Another code, or the same characters as a bare value, lend nothing.
  assert.equal(agreedConfidence(cells, g.classifyText('AL3961', 0.88)), 0.3);
  assert.equal(agreedConfidence(g.classifyText('3981', 0.3), g.classifyText('3981', 0.88)), 0.3);
  // Nor does a status both readers' remains were bent into (SPEED 772 cut to PEED 772, made FEED 772).
  assert.equal(agreedConfidence(g.classifyText('FEED 772', 0.45), g.classifyText('FEED 772', 0.9)), 0.45);
  // The cells' reading surer than the recogniser's keeps its own.
  assert.equal(agreedConfidence(g.classifyText('AL3981', 0.9), g.classifyText('AL3981', 0.6)), 0.9);
});
