// A 4 whose upper left upright and left middle half stand apart from its right upright (a sixteen-segment 4 drawn
// with a gap at the middle bar's centre, slanted) leaves that left piece too short for a cell of its own: the cell
// reader kept only the upright, as a narrow 1, and the line read F713 where the recogniser read F743 surely. The
// positions beside the upright (sampled a quarter cell wider to the left) hold the rest of the 4, so the cell is
// left open to a 4 and the recogniser decides (segment-lattice.ts, fourBeside). A 1 whose left side is dark, or
// one the recogniser also reads as 1, stays a 1.
// The crop is the display line of development set drawn2 frame 117 (F743 on a blue LCD, 16 segments, slant 6,
// JPEG), as the reader cuts it.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { fourBeside, segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { latticeOf, type LatticeStep } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/f743-sixteen-four-apart.png');

/** 18 recogniser steps over the 236-pixel crop, the four characters at steps 2, 6, 10 and 14. */
function lattice(chars: LatticeStep[]) {
  const steps: LatticeStep[] = Array.from({ length: 18 }, () => ({}));
  [2, 6, 10, 14].forEach((t, i) => { steps[t] = chars[i]!; });
  return latticeOf(dict, steps);
}

test('a 4 whose left piece stands apart from its upright: the recogniser\'s 4 stands, its 1 does not make one', async () => {
  const img = frameToRgb(await decodeImageFile(file));
  const line = readSegmentCells(img);
  assert.ok(line);
  assert.deepEqual(line.cells.map((c) => c.shape ?? 'cell'), ['cell', 'cell', '1', 'cell'], 'the 4 is a narrow upright to the cell reader');
  assert.ok(fourBeside(line.cells[2]!.beside), 'the 4\'s upper left upright and middle half lie beside the upright');
  assert.ok(!fourBeside(line.cells[1]!.beside), 'a sampled cell has nothing beside');
  const read = (chars: LatticeStep[]) => segmentReading(line, lattice(chars), dict, img.width, img.height)!;
  assert.equal(read([{ F: 0.99 }, { 7: 0.99 }, { 4: 0.98, 1: 0.01 }, { 3: 0.99 }]).text, 'F743');
  assert.equal(read([{ F: 0.99 }, { 7: 0.99 }, { 1: 0.9, 4: 0.05 }, { 3: 0.99 }]).text, 'F713');
});

test('an upright with nothing beside it is no 4, whatever the recogniser reads', () => {
  assert.equal(fourBeside({ a: 0, b: 1, c: 1, d: 0, e: 0, f: 0.1, g: 0.1, g1: 0.1 }), false);
  // The previous glyph's uprights beside it (both left uprights lit): no 4.
  assert.equal(fourBeside({ a: 0, b: 1, c: 1, d: 0, e: 0.9, f: 0.9, g: 0.8, g1: 0.8 }), false);
  assert.equal(fourBeside({ a: 0, b: 1, c: 1, d: 0, e: 0.1, f: 0.9, g: 0.8, g1: 0.8 }), true);
});
