// A glyph narrower than the display's cells and drawn with its right uprights only, no middle bar (a 7), stands
// against the right of its cell (segment-positions.ts rightUprightsOnly, segment-cells.ts). On a heavy slanted LCD
// whose bars are short blocks set in from the corners, a cell cut to a 7's ink left its top bar off the middle of its
// sampled region: it read half lit, the recogniser's 1s won and the cells' uneven pitch made a space (E778 read
// E 118). The crop is the alarm line of a geometry-drawn frame (scripts/gen-panels-drawn.ts seed 148 frame 59: a
// yellow-green LCD, rect segments slanted 6 degrees, strokes 0.15 of the height, ghost segments, tilt).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { rightUprightsOnly } from '../../src/vision/ocr/segment-positions.js';
import { silentLattice } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. '];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);

test('a glyph with right uprights only and no middle bar', () => {
  assert.equal(rightUprightsOnly({ b: 1, c: 0.95, e: 0, f: 0.02, g: 0.07 }), true);
  assert.equal(rightUprightsOnly({ b: 1, c: 0.95, e: 0, f: 0.02, g: 0.6 }), false, 'a 3');
  assert.equal(rightUprightsOnly({ b: 0.04, c: 0.05, e: 0.9, f: 0.95, g: 0 }), false);
  assert.equal(rightUprightsOnly({ b: 1, c: 1, e: 0.9, f: 1, g: 0 }), false);
  assert.equal(rightUprightsOnly({ b: 1, c: 1, e: NaN, f: 0, g: 0 }), false);
});

test('the sevens of a block-bar slanted LCD are placed against their right uprights (E778)', async () => {
  const img = frameToRgb(await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/e778-block-bars-slanted-lcd.png')));
  const line = readSegmentCells(img);
  assert.ok(line);
  assert.equal(line.segments, 7);
  for (const c of line.cells.slice(1, 3)) assert.ok((c.lit.a ?? 0) >= 0.75, `top bar ${c.lit.a} in [${c.x0}..${c.x1}]`);
  const seg = segmentReading(line, silentLattice(dict, 40), dict, img.width, img.height)!;
  assert.equal(seg.unexplained, 0);
  assert.equal(seg.gaps, 0);
  assert.equal(seg.text.toUpperCase(), 'E778');
});
