// Segment cells on a line turned in its crop (turned-band.ts). The crop is a display line of this branch's
// development set (font-drawn seed 194, scripts/gen-panels.ts, frame 94): C-42 on a tilted white-blue DSEG14 LED,
// the C at the line's low end, the 2 at its high end. Sampled in one band for the whole line, the C's top bar lay
// above where the band's top segment is looked for, and the cells (and the reader after them) read L-42.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { turnedBand } from '../../src/vision/ocr/turned-band.js';
import { silentLattice } from '../helpers/lattice.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);
const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);

test('a C at the low end of a turned line keeps its top bar: the cells read C-42, not L-42', async () => {
  const img = frameToRgb(await decodeImageFile(crop('c-42-tilted-led-c-read-l.png')));
  const line = readSegmentCells(img);
  assert.ok(line, 'a segment line is found');
  assert.ok((line.cells[0]!.lit.a ?? 0) > 0.5, `the C's top bar is lit (a ${line.cells[0]!.lit.a})`);
  const seg = segmentReading(line, silentLattice(dict, 40), dict, img.width, img.height);
  assert.ok(seg);
  assert.equal(seg.text.replace(/\s/g, ''), 'C-42');
});

test('the band follows a turned line\'s edges; a level line, or too few glyphs, keeps one band', () => {
  // Glyphs 20 wide every 30 columns; the line climbs 1 row in 5 columns (its band rows 0..59 over all of them).
  const turned = [0, 1, 2, 3].map((i) => ({ a: 30 * i, b: 30 * i + 20, r0: 18 - 6 * i, r1: 59 - 6 * i }));
  const band = turnedBand(turned, 0, 59);
  assert.ok(band, 'a turned line');
  const [t0, b0] = band.rows(0, 20), [t3, b3] = band.rows(90, 110);
  assert.ok(Math.abs(t0 - 18) <= 1 && Math.abs(b0 - 59) <= 1, `first cell ${t0}..${b0}`);
  assert.ok(Math.abs(t3 - 0) <= 1 && Math.abs(b3 - 41) <= 1, `last cell ${t3}..${b3}`);
  // One glyph cut short at its top (glare) does not tip the edges.
  const cut = turned.map((g, i) => (i === 1 ? { ...g, r0: g.r0 + 10 } : g));
  assert.deepEqual(turnedBand(cut, 0, 59)!.rows(0, 20), band.rows(0, 20));
  const level = [0, 1, 2, 3].map((i) => ({ a: 30 * i, b: 30 * i + 20, r0: 2 + (i % 2), r1: 58 }));
  assert.equal(turnedBand(level, 0, 59), null);
  assert.equal(turnedBand(turned.slice(0, 2), 0, 59), null);
});
