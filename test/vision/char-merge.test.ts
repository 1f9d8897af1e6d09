// The recogniser's and the segment reader's characters weighed position by position (src/vision/ocr/char-merge.ts):
// where the cells speak for a line, a digit the recogniser read surely stands against a cell's other digit unless the
// cell shows clearly every segment telling the two apart. Drawn in code first (no models), then two generated camera
// frames (scripts/gen-panels-drawn.ts) through the real models, each misread before by its cells: AL3344 under a
// glare streak, its 3's bottom and middle bars dimmed, read AL7344; F89 on a dim, motion-blurred LED, the 8's middle
// bar blurred, read F09.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { recognisedDigits, toldApart, type CharDisagreement } from '../../src/vision/ocr/char-merge.js';
import type { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import type { SegmentCell, SegmentLine } from '../../src/vision/ocr/segment-cells.js';

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');

const cell = (lit: Partial<Record<string, number>>): SegmentCell => ({ x0: 0, x1: 10, spaceBefore: false,
  lit: Object.fromEntries('a b c d e f g'.split(' ').map((s) => [s, lit[s] ?? 0.05])) });

test('a cell shows the segments telling two digits apart clearly, or not', () => {
  // A 7 (abc) where the recogniser read 3 (abcdg): d and g tell them apart; both clearly dark, or d half lit.
  assert.deepEqual(toldApart(cell({ a: 1, b: 1, c: 1 }), '3', '7'), { told: 2, clear: 2 });
  assert.deepEqual(toldApart(cell({ a: 1, b: 1, c: 1, d: 0.44, g: 0.27 }), '3', '7'), { told: 2, clear: 1 });
  // A bar under glare (unjudged) proves nothing.
  assert.deepEqual(toldApart(cell({ a: 1, b: 1, c: 1, d: NaN }), '3', '7'), { told: 2, clear: 1 });
  // A cell known by its shape alone has no segments to weigh.
  assert.deepEqual(toldApart({ ...cell({}), shape: '1' }, '7', '1'), {});
});

const CHARS = ['', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'A', 'L'];
const dict = { chars: CHARS, indexOf: (c: string) => CHARS.indexOf(c) } as unknown as CharacterDictionary;

test('only a sure digit of the recogniser over a cell whose telling segments are not all clear replaces the cell\'s digit', () => {
  const classes = CHARS.length;
  // Two cells (rows 0 and 2, a space row between): 7 and 4.
  const probs = new Float32Array(3 * classes);
  probs[dict.indexOf('7')] = 0.9; probs[dict.indexOf('3')] = 0.1;
  probs[2 * classes + dict.indexOf('4')] = 1;
  const lattice = { probs, offset: 0, steps: 3, classes };
  const line = { cells: [cell({}), cell({})], segments: 7, shear: 0, top: 0, bottom: 10 } as SegmentLine;
  const d = (over: Partial<CharDisagreement>): CharDisagreement => ({ at: 0, index: 0, rec: '3', cell: '7', recP: 0.99, told: 2, clear: 1, ...over });
  const swapped = recognisedDigits(lattice, line, [d({})], dict)!;
  assert.ok(swapped.probs[dict.indexOf('3')]! > swapped.probs[dict.indexOf('7')]!);
  // Not where every telling segment is clear, the recogniser unsure, or either character a letter.
  assert.equal(recognisedDigits(lattice, line, [d({ clear: 2 })], dict), null);
  assert.equal(recognisedDigits(lattice, line, [d({ recP: 0.9 })], dict), null);
  assert.equal(recognisedDigits(lattice, line, [d({ rec: '8', cell: 'A' })], dict), null);
});

describe('sure recognised digits over cells misread under glare and blur', { timeout: 180_000 }, () => {
  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  for (const [file, code] of [['drawn-fourteen-segment-al3344-dim-bars-read-7.jpg', 'AL3344'], ['drawn-fourteen-segment-f89-bar-read-0.jpg', 'F89']] as const) {
    test(`${code} (${file})`, async () => {
      const v = await analyzer.analyze(await decodeImageFile(join(FRAMES, file)));
      assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()), [code], JSON.stringify(v.text));
    });
  }
});
