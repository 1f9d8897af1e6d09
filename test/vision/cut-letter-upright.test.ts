// A box that starts inside a code's leading letter leaves only the letter's left upright in the crop, which the segment
// cells read as a 1 (F480 read 1480, a bare number: no alarm). The line is read again widened to the left
// (box-ends.ts); there the letter is whole and the wider reading completes the first when letters alone stand where
// that 1 was. The recogniser there may read the letter as a sign it cannot name (#480): that is a glyph it saw, not
// an edge. The frame was generated with scripts/gen-panels-drawn.ts (seed 90411, frame 18: F480 on a VFD with ghost
// segments, glare spot, motion blur, JPEG).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { completes, takesWider } from '../../src/vision/ocr/box-ends.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-seven-segment-f480-box-inside-letter.jpg');

describe('a letter cut by the box start, read 1', { timeout: 240_000 }, () => {
  test('the wider reading\'s letters may stand where the cut glyph\'s 1 was, nothing else', () => {
    assert.equal(completes('1480', 'F480', true, false), true);
    assert.equal(completes('1480', 'AL480', true, false), true);
    assert.equal(completes('1480', 'F480', false, true), false, 'the 1 is at the widened end only');
    assert.equal(completes('1480', 'N1480', true, false), true, 'a whole 1 kept with a letter before it (the usual completion)');
    assert.equal(completes('1480', '7480', true, false), false, 'a digit for the 1');
    assert.equal(completes('1480', 'F1 480', true, false), true);
    assert.equal(completes('2480', 'F480', true, false), false, 'only a 1 is a cut upright');
    const g = new LineGrammar();
    const at = (text: string, confidence = 0.9) => ({ text, confidence, segment: 1, reading: g.classifyText(text, confidence) });
    const e = { left: true, right: false, prefix: true };
    assert.equal(takesWider(at('1480'), at('F480', 0.83), e, { before: '489', after: '#480' }), true, 'a # is a glyph the recogniser saw');
    assert.equal(takesWider(at('1480'), at('F480', 0.83), e, { before: '489', after: '|480' }), false, 'a bar is an edge');
  });

  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('F480 on a full frame is read as the alarm, not as the bare number 1480', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes, ['F480']);
  });
});
