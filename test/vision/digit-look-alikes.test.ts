// A code letter and the digit drawn one segment from it (src/vision/ocr/digit-look-alikes.ts): where the segment cells
// make the letter clearly likelier, what the recogniser saw of the digit counts for the letter too. In code first (no
// models), then two generated camera frames through the real models, each reported as a bare number before:
// - panels-seven-lcd-ghost-e61-read-661.jpg: scripts/gen-panels.ts seed 378 frame 48, E61 on a dark seven-segment LCD
//   with its unlit segments faintly visible; cells E at 1.9 times the 6 (the lower right upright at 0.45), the
//   recogniser 6 and 8: the value 661.
// - drawn-seven-led-ghost-a52-read-852.jpg: scripts/gen-panels-drawn.ts seed 355 frame 43, A52 on a red seven-segment
//   LED with ghost segments; cells A at 5.8 times the 8 (the bottom bar at 0.35), the recogniser 852.: the value 852.
// - panels-seven-led-glare-e578-seven-upright-read-9.jpg: scripts/gen-panels.ts seed 380 frame 19, E-578 in
//   DSEG7Classic-Italic (its 7 drawn with the upper left upright) on an LED under glare; cells 7 at 2.6 times the 9,
//   the recogniser 9 at 0.92: reported E-598.
// - drawn-seven-vfd-e384-bottom-bar-half-lit-read-f.jpg: scripts/gen-panels-drawn.ts seed 325 frame 56 (re-encoded as
//   a high-quality JPEG), E384 on a clean VFD; the first cell's bottom bar at 0.50 makes E 0.339 and F 0.335 (F a
//   little ahead on the enhanced view), the recogniser read 6384 there: reported F 384, a wrong code.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { lookAlikeDigits, seenAsLookAlike } from '../../src/vision/ocr/digit-look-alikes.js';

const FRAMES = join(import.meta.dirname, '..', 'fixtures', 'frames');

test('the digits drawn one segment from a code letter', () => {
  assert.deepEqual([...lookAlikeDigits('E', 7)], ['6']);
  assert.ok(lookAlikeDigits('A', 7).includes('8'));
  assert.deepEqual([...lookAlikeDigits('A', 14)], ['8']);
  assert.deepEqual([...lookAlikeDigits('L', 7)], [], 'an L is two segments from any digit');
  assert.deepEqual([...lookAlikeDigits('6', 7)], [], 'only letters borrow, and the 7');
  assert.deepEqual([...lookAlikeDigits('7', 7)], ['9'], 'a 7 drawn with its upper left upright is a 9 to print');
});

test('the recogniser\'s digit counts for its letter only where the cells make the letter clearly likelier', () => {
  const read = (c: string): number => ({ '6': 0.6, E: 0.01 })[c] ?? 0;
  assert.equal(seenAsLookAlike('E', 7, new Map([['E', 0.27], ['6', 0.14]]), read), 0.6);
  assert.equal(seenAsLookAlike('E', 7, new Map([['E', 0.27], ['6', 0.2]]), read), 0.01, 'the 6 nearly as likely: the recogniser decides');
  assert.equal(seenAsLookAlike('E', 7, new Map([['E', 0.27], ['6', 0.05], ['C', 0.5]]), read), 0.01, 'not the cell\'s likeliest glyph');
  assert.equal(seenAsLookAlike('6', 7, new Map([['E', 0.05], ['6', 0.5]]), read), 0.6, 'a digit keeps its own reading');
  // E384's E on a VFD, its bottom bar half lit: E and F all but tied, the 6 unlikely.
  assert.equal(seenAsLookAlike('E', 7, new Map([['E', 0.335], ['F', 0.339], ['6', 0.01]]), read), 0.6, 'all but the likeliest');
  assert.equal(seenAsLookAlike('E', 7, new Map([['E', 0.335], ['F', 0.45], ['6', 0.01]]), read), 0.01, 'F clearly likelier');
  // E-578's 7 under glare: the cells' 7 at 0.183, the 9 at 0.069 (its middle bar at 0.37); the recogniser's 9 at 0.92.
  const nine = (c: string): number => ({ '9': 0.92, '7': 0.01 })[c] ?? 0;
  assert.equal(seenAsLookAlike('7', 7, new Map([['7', 0.183], ['9', 0.069]]), nine), 0.92);
  assert.equal(seenAsLookAlike('7', 7, new Map([['7', 0.183], ['9', 0.15]]), nine), 0.01, 'the 9 nearly as likely');
});

describe('letters the recogniser read as their look-alike digits on whole frames', { timeout: 240_000 }, () => {
  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  for (const [file, code] of [['panels-seven-lcd-ghost-e61-read-661.jpg', 'E61'], ['drawn-seven-led-ghost-a52-read-852.jpg', 'A52'],
    ['panels-seven-led-glare-e578-seven-upright-read-9.jpg', 'E578'], ['drawn-seven-vfd-e384-bottom-bar-half-lit-read-f.jpg', 'E384']] as const) {
    test(`${code} (${file})`, async () => {
      const v = await analyzer.analyze(await decodeImageFile(join(FRAMES, file)));
      assert.deepEqual(v.alarmCodes.map((c) => c.replace(/[\s-]+/g, '').toUpperCase()), [code], JSON.stringify(v.text));
    });
  }
});
