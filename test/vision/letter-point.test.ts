// A point lit right after a letter is no decimal point (segment-lattice.ts): a display draws its points after
// digits, so a point cell after a letter cell is a ghost point or glare, and the segment reading leaves it out; a
// point after a digit stays the value's. Hand-made cells (the segment reader's output) with a silent recogniser, then
// the whole camera frame the rule came from.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cell.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { silentLattice } from '../helpers/lattice.js';
import { codesWithAndWithoutCatalog } from '../helpers/real-readers.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);

/** Seven-segment lit levels per glyph drawn, every other position dark. */
const LIT: Record<string, string> = { E: 'adefg', F: 'aefg', '9': 'abcdfg', '4': 'bcfg', '1': 'bc', '2': 'abdeg', '5': 'acdfg' };
function cells(text: string): SegmentCell[] {
  let x = 0;
  return [...text].map((ch): SegmentCell => {
    const x0 = x;
    x += ch === '.' ? 6 : 24;
    if (ch === '.') return { x0, x1: x0 + 4, lit: {}, shape: '.', spaceBefore: false };
    if (ch === '-') return { x0, x1: x0 + 20, lit: {}, shape: '-', spaceBefore: false };
    const lit = Object.fromEntries([...'abcdefg'].map((s) => [s, LIT[ch]!.includes(s) ? 1 : 0]));
    return { x0, x1: x0 + 20, lit, spaceBefore: false };
  });
}
const read = (text: string): string | undefined => {
  const c = cells(text);
  return segmentReading({ cells: c, segments: 7, shear: 0, top: 0, bottom: 40 }, silentLattice(dict, 40), dict, c[c.length - 1]!.x1 + 8, 40)?.text;
};

describe('a point lit after a letter', () => {
  test('is left out of the segment reading; its row stays, one per cell', () => {
    assert.equal(read('E.-949'), 'E-949');
    assert.equal(read('F.12'), 'F12');
    const c = cells('E.-949');
    const seg = segmentReading({ cells: c, segments: 7, shear: 0, top: 0, bottom: 40 }, silentLattice(dict, 40), dict, 160, 40)!;
    assert.equal(seg.lattice.steps, 2 * c.length - 1, 'a row per cell and one between each two');
  });

  test('a point after a digit is the value\'s', () => {
    assert.equal(read('12.5'), '12.5');
    assert.equal(read('F-1.2'), 'F-1.2');
  });

  test('E-949 on a red sixteen-segment LED whose unlit segments glow, its E\'s point lit, is read as the code', { timeout: 120_000 }, async () => {
    // scripts/gen-panels-drawn.ts seed 351 frame 21: boxed as -949; the crop widened for its letters read E.-949 by its
    // cells, no code, and the bare number was all that was reported.
    const frame = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-sixteen-red-led-e949-ghost-point-after-e.jpg');
    const [without, withCatalog] = await codesWithAndWithoutCatalog(frame, ['/E-?\\d{2,3}/']);
    assert.deepEqual(without, ['E949']);
    assert.deepEqual(withCatalog, ['E949']);
  });
});
