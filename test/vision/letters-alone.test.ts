// A code's letters read alone, its number under a glare spot (letters-alone.ts): ERR 59 on a dim sixteen-segment
// LED, the 59 under a glare spot, boxed apart from ERR and smaller than it (only its unglared part shows), so the two
// were never joined and only the word ERR was read. The frame was generated with scripts/gen-panels-drawn.ts (seed
// 227, frame 323: tilt, glare spot, motion blur, JPEG).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { takesWider } from '../../src/vision/ocr/box-ends.js';
import { completesLetters } from '../../src/vision/ocr/box-ends.js';
import { lettersAloneEnd } from '../../src/vision/ocr/letters-alone.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-sixteen-segment-err59-number-under-glare.jpg');

describe('a code\'s letters read alone, the number under glare', { timeout: 240_000 }, () => {
  const grammar = new LineGrammar();
  const line = (text: string, segment = 1) => ({ text, segment, reading: grammar.classifyText(text, 0.95) });

  test('only a usual alarm prefix alone, on a segment display, has its right end read again', () => {
    assert.deepEqual(lettersAloneEnd(line('ERR'), grammar), { left: false, right: true, prefix: false, letters: true });
    assert.ok(lettersAloneEnd(line('FLT'), grammar));
    assert.ok(lettersAloneEnd(line('F.'), grammar), 'the dash after a letter read as a point');
    assert.equal(lettersAloneEnd(line('ERR', 0.2), grammar), null, 'not on a crop that does not look like a segment display');
    assert.equal(lettersAloneEnd(line('RESET'), grammar), null, 'a word that is no prefix');
    assert.equal(lettersAloneEnd(line('SET'), grammar), null, 'a status name');
    assert.equal(lettersAloneEnd(line('SET 2160'), grammar), null, 'a status with its value');
    assert.equal(lettersAloneEnd(line('E-12'), grammar), null, 'a code already');
  });

  test('the wider reading is taken only as the same letters followed by a number', () => {
    assert.equal(completesLetters('ERR', 'ERR 59'), true);
    assert.equal(completesLetters('FLT 2', 'FLT 21'), true, 'the further crop may add the number\'s last digit');
    assert.equal(completesLetters('F', 'F-15'), true);
    assert.equal(completesLetters('ERR', 'ER 59'), false, 'a letter lost');
    assert.equal(completesLetters('ERR', 'ERR'), false, 'no number');
    assert.equal(completesLetters('ERR', 'ERR 5A'), false, 'a letter after the digits');
    assert.equal(completesLetters('ERR', 'ERR 59123'), false, 'five digits');
    const e = lettersAloneEnd(line('ERR'), grammar)!;
    const before = { text: 'ERR', confidence: 0.99, segment: 1, reading: grammar.classifyText('ERR', 0.99) };
    const wider = (text: string, confidence = 0.9) => ({ text, confidence, segment: 1, reading: grammar.classifyText(text, confidence) });
    assert.equal(takesWider(before, wider('ERR 59'), e, { before: 'ERR', after: 'ERR S9' }), true);
    assert.equal(takesWider(before, wider('ERR 59', 0.4), e, { before: 'ERR', after: 'ERR S9' }), false, 'an unsure reading');
    assert.equal(takesWider(before, wider('ERR 59'), e, { before: 'ERR', after: 'ERR' }), false, 'the recogniser saw nothing more');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('ERR 59 with its number under a glare spot is read whole', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, ' ').toUpperCase()), ['ERR 59']);
  });
});
