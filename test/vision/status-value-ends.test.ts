// A status value's last digit left outside the detector's box (box-ends.ts valueEndToReRead, completesValue): a narrow
// 1 at the line's end, drawn at the right of its cell, stands a gap past the box (RPM 431 read RPM 43). The line is read
// again widened there and the wider reading taken only where it is a status of the same name whose value keeps the
// first one's and adds whole digits at the widened end: a status never turns into an alarm or another status. The frame
// was generated with scripts/gen-panels-drawn.ts seed 195 frame 49 (fourteen-segment, re-encoded as JPEG).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { completesValue, endsToReRead, takesWider } from '../../src/vision/ocr/box-ends.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { drawnDisplay } from '../helpers/drawn-display.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-fourteen-segment-rpm431-one-past-box.jpg');

describe('a status value completed at a box end', { timeout: 240_000 }, () => {
  const g = new LineGrammar();
  const read = (text: string, confidence = 0.9) => ({ text, confidence, segment: 1, reading: g.classifyText(text, confidence) });
  const right = { left: false, right: true, prefix: false, status: true };

  test('the wider reading completes a value only with whole digits, under the same name', () => {
    const c = (a: string, b: string, l: boolean, r: boolean): boolean => completesValue(g.classifyText(a), g.classifyText(b), l, r);
    assert.equal(c('RPM 43', 'RPM 431', false, true), true);
    assert.equal(c('SPEED 222', 'SPEED 2221', false, true), true);
    assert.equal(c('16.1', '116.1', true, true), true, 'a bare value, its first digit past the left end');
    assert.equal(c('RPM 43', 'RPM 413', false, true), false, 'a digit inside the value is no completion');
    assert.equal(c('RPM 43', 'RPM 431', true, false), false, 'a digit at the end not widened');
    assert.equal(c('RPM 43', 'RPM 43.1', false, true), false, 'a point added');
    assert.equal(c('RPM 43', 'RPM 43125', false, true), false, 'three digits more: not one cut glyph');
    assert.equal(c('RPM 43', 'SET 431', false, true), false, 'another name');
    assert.equal(c('LOAD 43', 'LOAD 43%', false, true), false, 'a unit is no digit');
  });

  test('a status stays a status: a wider reading that is an alarm is refused', () => {
    const words = { before: 'RPM 43', after: 'RPM 431' };
    assert.equal(takesWider(read('RPM 43'), read('RPM 431'), right, words), true);
    assert.equal(takesWider(read('RPM 43'), read('RPM 431', 0.3), right, words), false, 'an unsure wider reading');
    assert.equal(takesWider(read('RPM 43'), read('RPM 431'), right, { before: 'RPM 43', after: 'RPM 43' }), false, 'the recogniser sees no more glyphs');
    assert.equal(takesWider(read('SET 43'), read('E 431'), right, { before: 'SET 43', after: 'E 431' }), false);
    assert.equal(takesWider(read('RPM 43'), read('RPM 4311'), right, { before: 'RPM 43', after: 'RPM 4311' }), true, 'two glyphs past the end');
  });

  test('only the value\'s end is looked at, and only where the value ends in a digit', () => {
    const crop = drawnDisplay([[60, 80, 30, 70], [90, 110, 30, 70], [120, 140, 30, 70]]);
    const quiet = { probs: new Float32Array(4 * 2).map((_, i) => (i % 2 === 0 ? 1 : 0)), offset: 0, steps: 4, classes: 2 };
    const past = () => ({ left: true, right: true });
    assert.deepEqual(endsToReRead(read('RPM 43'), crop, quiet, past), right);
    assert.equal(endsToReRead(read('RPM 43'), crop, quiet), null, 'nothing cut and nothing past the end');
    assert.equal(endsToReRead(read('LOAD 43%'), crop, quiet, past), null, 'a unit ends the line');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('RPM 431 on a full frame, its last 1 past the detector\'s box, is read whole (was RPM 43) and no alarm', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.ok(v.text.includes('RPM 431'), JSON.stringify(v.text));
    assert.deepEqual(v.alarmCodes, []);
  });
});
