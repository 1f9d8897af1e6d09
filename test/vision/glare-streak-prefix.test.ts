// A glare streak over a code's letter stops the line's box at the streak: the stroke pieces past it are read alone.
// AL712 on an amber dot-matrix LED with a narrow streak over its L was boxed as 12 (the 7 beside the streak left out
// with the letters): a bare number, no alarm. The box-end re-read widens a bare number's box to the left for a lost
// prefix and reads AL712 there, but a wider reading could add one or two characters, or three letters: AL7 (two
// letters and a digit) was refused. On that nearer crop the three may now be a code's letters followed by digits,
// never a digit among the letters. The frame was generated with scripts/gen-panels-drawn.ts (seed 100, frame 495:
// AL712, dot matrix 5x7, amber LED, glare streak, perspective, blur, JPEG).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { completes, takesWider } from '../../src/vision/ocr/box-ends.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-dot-matrix-al712-letter-under-streak.jpg');

describe('a code\'s letters and a digit lost beside a glare streak', { timeout: 240_000 }, () => {
  test('a bare number\'s nearer wider reading may add letters and then digits, three in all', () => {
    assert.equal(completes('12', 'AL712', true, false, true), true);
    assert.equal(completes('12', 'E3412', true, false, true), true);
    assert.equal(completes('12', 'AL712', true, false), false, 'not where the end was not a bare number\'s prefix');
    assert.equal(completes('12', 'AL712', true, false, true, true), false, 'the further crop adds three letters only');
    assert.equal(completes('12', '7AL12', true, false, true), false, 'a digit ahead of the letters');
    assert.equal(completes('12', 'A7L12', true, false, true), false, 'a digit among the letters');
    assert.equal(completes('12', '34512', true, false, true), false, 'digits alone');
    const g = new LineGrammar();
    const at = (text: string, confidence = 0.9) => ({ text, confidence, segment: 1, reading: g.classifyText(text, confidence) });
    assert.equal(takesWider(at('12', 0.99), at('AL712', 0.93), { left: true, right: false, prefix: true }, { before: '12', after: 'AL712' }), true);
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('AL712 with its L under a glare streak is read as the alarm, not as the bare number 12', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()), ['AL712']);
  });
});
