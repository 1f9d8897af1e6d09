// A code whose letters are a legend's that the display line's box took in (src/vision/ocr/legend-prefix.ts). The boxes
// are those the reader gave on a font-drawn panel (gen-panels seed 261, frame 57): a seven-segment LCD tilted in its
// panel showing the status value 1225, its box 538×209 taking in the MA of a legend MAIN printed beside it, read W1225;
// the MA read in a box of its own.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { prefixOnLegend } from '../../src/vision/ocr/legend-prefix.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/font-seven-segment-status-1225-legend-ma-read-w1225.jpg');

const display = { box: { x: 1208, y: 250, width: 538, height: 209 } };
const legend = { text: 'MA', box: { x: 1220, y: 276, width: 54, height: 42 } };
const below = { text: 'MAIN POWER', box: { x: 717, y: 806, width: 418, height: 53 } };

describe('a code\'s letters read off a legend inside the display box', () => {
  test('W1225 whose W stands where MA was read is no code', () => {
    assert.equal(prefixOnLegend(display, 'W1225', [legend, { text: 'W1225', ...display }, below]), true);
  });

  test('a code with no such line, a line with a digit, a line as tall as the code, or one past the letters is kept', () => {
    assert.equal(prefixOnLegend(display, 'W1225', [{ text: 'W1225', ...display }, below]), false);
    assert.equal(prefixOnLegend(display, 'W1225', [{ ...legend, text: 'M1' }]), false, 'a value, not a legend');
    assert.equal(prefixOnLegend(display, 'W1225', [{ ...legend, box: { ...legend.box, height: 150 } }]), false, 'as tall as the display');
    assert.equal(prefixOnLegend(display, 'W1225', [{ ...legend, box: { ...legend.box, x: 1500 } }]), false, 'over the digits, not the letter');
    // A name printed above the window's corner, the box's top taking in its lower part (drawn248/0067: PROG, ERR-833).
    assert.equal(prefixOnLegend({ box: { x: 190, y: 188, width: 315, height: 98 } }, 'ERR-833', [{ text: 'PROG', box: { x: 165, y: 174, width: 68, height: 36 } }]), false, 'over the box edge');
    assert.equal(prefixOnLegend(display, '1225', [legend]), false, 'no letters');
    // A piece of the display itself read as unknown glyphs (a dot-matrix ALM boxed alone inside ALM59's box: 北店).
    assert.equal(prefixOnLegend({ box: { x: 633, y: 327, width: 236, height: 72 } }, 'ALM59', [{ text: '北店', box: { x: 656, y: 343, width: 94, height: 32 } }]), false, 'not Latin letters');
  });

  test('the whole frame: the status 1225 is reported as no alarm', { timeout: 120_000 }, async () => {
    const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
    try {
      assert.deepEqual((await analyzer.analyze(await decodeImageFile(FRAME))).alarmCodes, []);
    } finally {
      await analyzer.close();
    }
  });
});
