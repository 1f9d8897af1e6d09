// A code read with one digit and the rest of its number as the letters a segment display draws alike (H65 read H6S:
// the 5 and the S light the same five bars). The display clean-up (display-text.ts) used to take the lone digit for a
// slip inside a word and made it a letter too (HGS), leaving the grammar no digit to read the code by; the frame
// reported no alarm. Such a token keeps its digit, and the twin letters after it are read as digits (glyph-twins.ts).
// The frame: set drawn41 (scripts/gen-panels-drawn.ts, seed 41) frame 72, H65 on a white seven-segment LED under a
// glare wash, read H6S by both the recogniser and the segment cells.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { cleanDisplayText } from '../../src/vision/ocr/display-text.js';
import { twinCode } from '../../src/vision/ocr/glyph-twins.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';

test('a prefix, a digit and twin letters after it keep the digit: the number of a code', () => {
  assert.equal(cleanDisplayText('H6S'), 'H6S');
  assert.equal(cleanDisplayText('E5O'), 'E5O');
  const g = new LineGrammar();
  assert.deepEqual(twinCode(cleanDisplayText('H6S'), (t) => !!g.alarmCode(t), true), { text: 'H65', twins: 1 });
  // Words are still mended: the digit first (5TOP), last (AUT0), or followed by a letter no digit is drawn as (M0DE,
  // RE5ET, ST0P), or more letters before it than a prefix has.
  assert.equal(cleanDisplayText('5TOP'), 'STOP');
  assert.equal(cleanDisplayText('AUT0'), 'AUTO');
  assert.equal(cleanDisplayText('M0DE'), 'MODE');
  assert.equal(cleanDisplayText('RE5ET'), 'RESET');
  assert.equal(cleanDisplayText('ST0P'), 'STOP');
  assert.equal(cleanDisplayText('HOLD0S'), 'HOLDOS');
  assert.equal(cleanDisplayText('2O48'), '2048');
});

test('twin letters between the prefix and the lone digit keep it too: E56 read ES6 is no word ESG', () => {
  // The recogniser took the 5 for an S and read the 6; made a G, the reading was two changes from E56, more than the
  // grammar allows a three-character code, and no twin of a digit either (a G lacks the 6's middle bar).
  assert.equal(cleanDisplayText('ES6'), 'ES6');
  assert.equal(cleanDisplayText('ALS0'), 'ALS0');
  const g = new LineGrammar();
  assert.deepEqual(twinCode(cleanDisplayText('ES6'), (t) => !!g.alarmCode(t)), { text: 'E56', twins: 1 });
  // Still words: no twin letter before the last digit (AUT0), one no digit is drawn as (ST0P, PRE5), too many letters.
  assert.equal(cleanDisplayText('PRE5'), 'PRES');
  assert.equal(cleanDisplayText('HOLD0S'), 'HOLDOS');
});

test('a whole frame: H65 read H6S is the code H65', { timeout: 120_000 }, async () => {
  const plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  const cat = await VisionAnalyzer.create({ alarmPatterns: ['/H\\d{2}/'], ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  try {
    const frame = await decodeImageFile(join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-seven-segment-h65-read-h6s.jpg'));
    assert.deepEqual((await plain.analyze(frame)).alarmCodes, ['H65']);
    assert.deepEqual((await cat.analyze(frame)).alarmCodes, ['H65']);
  } finally {
    await plain.close();
    await cat.close();
  }
});

// gen-panels-drawn seed 37 frame 20 (a sixteen-segment display, saved as JPEG at quality 60): E56 read ES6, cleaned to ESG.
test('a whole frame: E56 read ES6 is the code E56', { timeout: 120_000 }, async () => {
  const plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  try {
    const frame = await decodeImageFile(join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-sixteen-segment-e56-read-es6.jpg'));
    assert.deepEqual((await plain.analyze(frame)).alarmCodes, ['E56']);
  } finally {
    await plain.close();
  }
});
