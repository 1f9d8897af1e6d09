// A glare spot over a code's three-letter prefix (ERR 52 on a red LED) leaves the detector a box over the number
// alone, read 52: a bare number, no alarm. The box-end re-read (box-ends.ts) widens a bare number's box to the left
// by 1.5 box heights for a lost letter and a dash; that crop ends inside the first R (read ##52). The line is read
// on a second, wider crop in the same batch (2 box heights: Err 52), and a wider reading may add a prefix of three
// letters, letters only, all ahead of the number. The frame was generated with scripts/gen-panels-drawn.ts (seed
// 39, frame 42: ERR 52 on a seven-segment LED, tilt, glare spot, noise, JPEG).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { completes, takesWider, widenedFor, widestFor } from '../../src/vision/ocr/box-ends.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import type { TextBox } from '../../src/vision/ocr/text-boxes.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');
const FRAME = join(FIXTURES, 'drawn-seven-segment-err52-prefix-under-glare.jpg');
// SET 1161 on a blurred, slanted VFD (gen-panels-drawn.ts seed 2, frame 24): SET is boxed alone and the value as 116.
// With the further crop in the nearer one's batch, the nearer crop was padded to it and read E116, taken as an alarm.
const STATUS_FRAME = join(FIXTURES, 'drawn-seven-segment-set-1161-value-split.png');
// C-93 on a small over-exposed yellow-green seven-segment LCD, tilted, ghost segments, noise (gen-panels-drawn.ts seed
// 383, frame 0; 640x360, PNG as generated: re-encoded as JPEG or cut down, the detector boxes it otherwise). Found by
// the second look as 93; the nearer crop read C-93 at 0.71, under the prefix's 0.8, the further one C-93 at 0.98.
const AGREED_FRAME = join(FIXTURES, 'drawn-seven-lcd-overexposed-c93-prefix-on-both-crops.png');

describe('a three-letter prefix lost under glare', { timeout: 240_000 }, () => {
  test('a bare number\'s wider reading may add three letters ahead of it, only there and only letters', () => {
    assert.equal(completes('52', 'Err 52', true, false, true), true);
    assert.equal(completes('52', 'Err 52', true, false), false, 'not where the end was not a bare number\'s prefix');
    assert.equal(completes('52', 'E8R52', true, false, true), false, 'a digit among the letters');
    assert.equal(completes('52', 'ERRO52', true, false, true), false, 'four more');
    assert.equal(completes('52', 'ERR 520', true, false, true), false, 'not ahead of the number alone');
    assert.equal(completes('116', 'E116', true, false, true, true), false, 'the further crop adds three letters or nothing');
    assert.equal(completes('52', 'Err 52', true, false, true, true), true);
    const g = new LineGrammar();
    const at = (text: string, confidence = 0.9) => ({ text, confidence, segment: 1, reading: g.classifyText(text, confidence) });
    const e = { left: true, right: false, prefix: true };
    assert.equal(takesWider(at('52', 0.64), at('Err 52', 0.88), e, { before: '52', after: 'Err 52' }), true);
    assert.equal(takesWider(at('52', 0.64), at('SET 52', 0.88), e, { before: '52', after: 'SET 52' }), false, 'a status word ahead is no code');
  });

  test('the further crop completes a bare number with one letter only where the nearer crop read that very code', () => {
    const g = new LineGrammar();
    const at = (text: string, confidence = 0.9) => ({ text, confidence, segment: 1, reading: g.classifyText(text, confidence) });
    const e = { left: true, right: false, prefix: true };
    const seen = { before: '93', after: 'C-93' };
    assert.equal(takesWider(at('93', 1), at('C-93', 0.98), { ...e, nearer: 'C-93' }, seen, true), true);
    assert.equal(takesWider(at('93', 1), at('C-93', 0.98), e, seen, true), false, 'no nearer reading to agree with');
    assert.equal(takesWider(at('93', 1), at('C-93', 0.98), { ...e, nearer: '0493' }, seen, true), false, 'the nearer crop read something else');
    assert.equal(takesWider(at('93', 1), at('C-93', 0.7), { ...e, nearer: 'C-93' }, seen, true), false, 'the further crop unsure too');
    assert.equal(takesWider(at('93', 1), at('T-93', 0.98), { ...e, nearer: 'T-93', letters: true }, { before: '93', after: 'T-93' }, true), false, 'not for a code\'s letters read alone');
  });

  test('C-93 boxed as 93 on an over-exposed LCD is read as the alarm where both crops read its C', async () => {
    const v = await analyzer.analyze(await decodeImageFile(AGREED_FRAME));
    assert.deepEqual(v.alarmCodes.map((c) => c.replace(/[\s-]+/g, '').toUpperCase()), ['C93']);
  });

  test('only a bare number\'s left end gets the further widened box', () => {
    const box: TextBox = { points: [[100, 10], [140, 10], [140, 30], [100, 30]], score: 1 };
    assert.equal(widestFor(box, { left: true, right: false, prefix: false }), null);
    const near = widenedFor(box, { left: true, right: false, prefix: true }), far = widestFor(box, { left: true, right: false, prefix: true })!;
    assert.equal(near.points[0][0], 70);
    assert.equal(far.points[0][0], 60);
    assert.equal(far.points[1][0], 140);
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('ERR 52 with its letters under a glare spot is read as the alarm, not as the bare number 52', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.equal(v.alarmCodes.length, 1);
    assert.equal(v.alarmCodes[0]!.replace(/\s+/g, '').toUpperCase(), 'ERR52');
  });

  test('a status value boxed apart from its name is not made an alarm by the further crop (SET 1161)', async () => {
    const v = await analyzer.analyze(await decodeImageFile(STATUS_FRAME));
    assert.deepEqual(v.alarmCodes, []);
  });
});
