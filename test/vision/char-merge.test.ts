// The recogniser's and the segment reader's characters weighed position by position (src/vision/ocr/char-merge.ts):
// where the cells speak for a line, a digit the recogniser read surely stands against a cell's other digit unless the
// cell shows clearly every segment telling the two apart. Drawn in code first (no models), then two generated camera
// frames (scripts/gen-panels-drawn.ts) through the real models, each misread before by its cells: AL3344 under a
// glare streak, its 3's bottom and middle bars dimmed, read AL7344; F89 on a dim, motion-blurred LED, the 8's middle
// bar blurred, read F09; and E29 on a fourteen-segment LCD whose E draws its middle bar as two short halves (read as
// seven segments, the bar unclear), its cells C, the recogniser 6: the E neither read (fusedGlyph).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { fusedGlyph, recognisedDigits, toldApart, type CharDisagreement } from '../../src/vision/ocr/char-merge.js';
import type { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import type { SegmentCell, SegmentLine } from '../../src/vision/ocr/segment-cells.js';

const FRAMES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames');

const cell = (lit: Partial<Record<string, number>>): SegmentCell => ({ x0: 0, x1: 10, spaceBefore: false,
  lit: { ...Object.fromEntries('a b c d e f g'.split(' ').map((s) => [s, lit[s] ?? 0.05])), ...lit } });

test('a cell shows the segments telling two digits apart clearly, or not', () => {
  // A 7 (abc) where the recogniser read 3 (abcdg): d and g tell them apart; both clearly dark, or d half lit.
  assert.deepEqual(toldApart(cell({ a: 1, b: 1, c: 1 }), '3', '7'), { told: 2, clear: 2 });
  assert.deepEqual(toldApart(cell({ a: 1, b: 1, c: 1, d: 0.44, g: 0.27 }), '3', '7'), { told: 2, clear: 1 });
  // A bar under glare (unjudged) proves nothing.
  assert.deepEqual(toldApart(cell({ a: 1, b: 1, c: 1, d: NaN }), '3', '7'), { told: 2, clear: 1 });
  // A cell known by its shape alone has no segments to weigh.
  assert.deepEqual(toldApart({ ...cell({}), shape: '1' }, '7', '1'), {});
});

test('the glyph both readers draw: the cell\'s clear segments, the recogniser\'s where the cell is unclear', () => {
  // A C (adef) whose middle bar is unclear (centre 0.26 between halves at 0.64 and 0.54), its lower right upright
  // clearly dark, where the recogniser read 6 (acdefg): the bar as the 6 has it, the upright as the cell shows it, an E.
  const e = cell({ a: 0.97, d: 1, e: 0.84, f: 1, g: 0.26, g1: 0.64, g2: 0.54, b: 0.05, c: 0.07 });
  assert.deepEqual(fusedGlyph(e, '6', 'C'), ['E']);
  // The bar clearly dark: the cell's own C, nothing fused.
  assert.equal(fusedGlyph(cell({ a: 0.97, d: 1, e: 0.84, f: 1 }), '6', 'C'), null);
  // The only telling segment unclear: the recogniser's own character (recognisedDigits weighs that), nothing fused.
  assert.equal(fusedGlyph(cell({ a: 1, b: 1, c: 1, e: 1, f: 1, g: 1, d: 0.5 }), '8', 'A'), null);
  // A cell known by its shape alone has no segments to fuse.
  assert.equal(fusedGlyph({ ...e, shape: '1' }, '6', 'C'), null);
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

  for (const [file, code] of [['drawn-fourteen-segment-al3344-dim-bars-read-7.jpg', 'AL3344'], ['drawn-fourteen-segment-f89-bar-read-0.jpg', 'F89'],
    ['panels-fourteen-lcd-e29-short-middle-read-c.jpg', 'E29']] as const) {
    test(`${code} (${file})`, async () => {
      const v = await analyzer.analyze(await decodeImageFile(join(FRAMES, file)));
      assert.deepEqual(v.alarmCodes.map((c) => c.replace(/\s+/g, '').toUpperCase()), [code], JSON.stringify(v.text));
    });
  }
});
