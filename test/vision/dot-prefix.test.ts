// A dot-matrix code's letters left outside the detector's box (src/vision/ocr/dot-prefix.ts): F-49 on a tilted VFD
// boxed over -49 alone, a prefix-less code body, no alarm (gen-panels-drawn seed 185, frame 124). Read again on the
// crop widened to the left, the recogniser reads F一49; the dot cells place its letter in the run right before the
// dash's, so the line is the alarm F-49. Drawn lines first (no models): a letter is taken only where a letter's run
// stands right before the dash and none close before it (a status word's tail, TEMP -12, is no prefix), the dots
// overrule a letter they clearly name and refuse one on a digit's dots. Then the real crops, and the recogniser on the
// widened one through the reader.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { bodyOnDots, dashBody, dotPrefixCode } from '../../src/vision/ocr/dot-prefix.js';
import type { Recognised } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { PanelReader } from '../../src/vision/ocr/panel-reader.js';
import { dotLine } from './dot-line-drawing.js';

const CROPS = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/crops');
const crop = async (name: string): Promise<RgbImage> => frameToRgb(await decodeImageFile(join(CROPS, name)));

describe('a dot-matrix code body\'s letters left outside its box', () => {
  const g = new LineGrammar();

  test('only a dash and two to four digits is a code body', () => {
    assert.equal(dashBody('-49'), '-49');
    assert.equal(dashBody('- 49'), '-49');
    assert.equal(dashBody('49'), null);
    assert.equal(dashBody('-4'), null);
    assert.equal(dashBody('F-49'), null);
  });

  test('the letter the recogniser reads right before the dash, on a letter\'s run, makes the code', () => {
    assert.equal(dotPrefixCode(dotLine('F-49'), '-49', 'F-49', g), 'F-49');
    assert.equal(dotPrefixCode(dotLine('F-49'), '-49', 'F一49', g), 'F-49', 'a CJK dash is the dash');
    assert.equal(dotPrefixCode(dotLine('F-49'), '-49', 'E-49', g), 'F-49', 'the dots clearly name the F');
    assert.equal(dotPrefixCode(dotLine('ERR-485'), '-485', 'ERR-485', g), 'ERR-485');
  });

  test('no letter run, a digit\'s dots, a word\'s tail or other digits make no code', () => {
    assert.equal(dotPrefixCode(dotLine('-49'), '-49', 'F-49', g), null, 'nothing lit before the dash');
    assert.equal(dotPrefixCode(dotLine('8-49'), '-49', 'B-49', g), null, 'a digit\'s dots');
    assert.equal(dotPrefixCode(dotLine('TEMP -12'), '-12', 'P-12', g), null, 'a blank cell before the dash');
    assert.equal(dotPrefixCode(dotLine('F-49'), '-49', 'F-48', g), null, 'not the body read first');
    assert.equal(dotPrefixCode(dotLine('F-49'), '-49', '8-49', g), null, 'no letter read');
  });

  test('the body\'s own cells must be in step with its reading', () => {
    assert.equal(bodyOnDots(dotLine('-49'), '-49'), true);
    assert.equal(bodyOnDots(dotLine('-49'), '-35'), false);
    assert.equal(bodyOnDots(dotLine('F-49'), '49'), false, 'no body');
  });

  test('real crops: -49 boxed on a tilted VFD, and its crop widened to the left read F-49', { timeout: 120_000 }, async () => {
    const narrow = await crop('drawn-dot-matrix-f-49-boxed-over-body.png');
    const wide = await crop('drawn-dot-matrix-f-49-widened-left.png');
    assert.equal(bodyOnDots(narrow, '-49'), true);
    assert.equal(dotPrefixCode(narrow, '-49', 'F-49', g), null, 'the narrow crop holds no letter run');
    assert.equal(dotPrefixCode(wide, '-49', 'F一49', g), 'F-49');
    const reader = await PanelReader.create({ reuseUnchanged: false });
    try {
      const [r] = await (reader as unknown as { recognise(c: RgbImage[]): Promise<Recognised[]> }).recognise([wide]);
      assert.equal(dotPrefixCode(wide, '-49', r!.greedy.text, g), 'F-49', `recogniser read ${r!.greedy.text}`);
    } finally {
      await reader.close();
    }
  });
});
