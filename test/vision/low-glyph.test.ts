// A short glyph standing low in its cell (low-glyph.ts): DSEG7 draws a code's C as the lower-case c, its bars on the
// middle and bottom places. On a line turned a little in its crop, with too few full glyphs for turned-band.ts to
// follow it (C-dd has two), the c stands higher than the line's band, and sampled over that band its bars missed
// the segment places. The crops are line boxes as the reader cuts them, from DSEG7 frames of the font-drawn
// generator (bench/_gen-sets.ts dashed OUT 960 245 --font=DSEG7, seven-segment frames):
// - c-51-low-c-read-l.png: frame 38, C-51 on a grey LCD, DSEG7ClassicMini-LightItalic; cells L-51, recogniser 5-51.
// - c-23-low-c-read-i.png: frame 110, C-23 on a red LED, DSEG7Modern-Light, tilted; cells I-23, recogniser 2-23.
// - c-44-low-c-read-l.png: frame 650, C-44 on an inverted LCD, DSEG7ClassicMini-Regular; reported L-44.
// - c-73-low-c-above-crop-read-1.png: font-drawn seed 327 frame 2, C-73 on a tilted inverted LCD under glare,
//   DSEG7ClassicMini-BoldItalic, its line rising to the left: the c's cell reaches above the crop's top. Cut to the
//   crop it read 1 (cells 1-73, recogniser 2-73, a status 2.73, the code withheld).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { lowGlyphRows } from '../../src/vision/ocr/low-glyph.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { glyphLikelihoods } from '../../src/vision/ocr/segment-glyphs.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);
const best = (lit: Record<string, number>): string => [...glyphLikelihoods(lit, 7)].sort((p, q) => q[1] - p[1])[0]![0];

const CROPS: Array<[string, string]> = [['c-51-low-c-read-l.png', 'C-51'], ['c-23-low-c-read-i.png', 'C-23'], ['c-44-low-c-read-l.png', 'C-44'],
  ['c-73-low-c-above-crop-read-1.png', 'C-73']];

describe('a low c on a turned line', { timeout: 180_000 }, () => {
  const r = realReader();
  for (const [name, code] of CROPS) {
    test(`${code}: the first cell is a C (middle and bottom bars, lower left upright) and the line reads ${code}`, async () => {
      const img = frameToRgb(await decodeImageFile(crop(name)));
      const cells = readSegmentCells(img)!;
      assert.ok(cells, 'a segment line is found');
      const c = cells.cells[0]!;
      const shown = JSON.stringify(c.lit);
      assert.equal(cells.segments, 7, shown);
      assert.ok(c.lit.g! > 0.4 && c.lit.d! > 0.5 && c.lit.e! > 0.5, `the c's bars and upright are lit: ${shown}`);
      assert.ok(c.lit.a! < 0.3 && c.lit.f! < 0.3 && c.lit.b! < 0.3, `nothing above its middle bar: ${shown}`);
      assert.equal(best(c.lit as Record<string, number>), 'C', shown);
      const [rec] = await recogniseCrops(r.reader, [img]);
      const line = interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
      assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
      assert.equal(line.text, code, JSON.stringify(line));
    });
  }

  // cable-arch-read-u7.png: drawn seed 215 frame 35, a cable's arch over the panel boxed with one upright wedge beside
  // it (the recogniser read A); sampled from its foot as a low u, the arch and the wedge spelt the code U 7.
  test('clutter with one full-height glyph is no line to sample a low glyph on: no alarm code', async () => {
    const img = frameToRgb(await decodeImageFile(crop('cable-arch-read-u7.png')));
    const [rec] = await recogniseCrops(r.reader, [img]);
    const line = interpretLine(img, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.notEqual(line.reading?.kind, 'alarm', JSON.stringify(line));
  });
});

test('only a short glyph low in its band with a bar at its foot is sampled from the foot up; a full glyph, one cut at its foot, an r keep the band', () => {
  // A 20×40 crop, the band rows 0..39, glyphs 36 rows high.
  const w = 20;
  const ink = (r0: number, r1: number): Uint8Array => {
    const on = new Uint8Array(w * 40);
    for (let y = r0; y <= r1; y++) for (let x = 4; x < 16; x++) on[y * w + x] = 1;
    return on;
  };
  // A c from row 16 to 34: its cell is the 36 rows ending at 34, its first row above the crop.
  assert.deepEqual(lowGlyphRows(ink(16, 34), w, [0, 39], 0, 19, 0, 20, 36), [-1, 34]);
  // A c standing higher (a line turned in its crop): its cell keeps the glyph height, five rows above the crop.
  assert.deepEqual(lowGlyphRows(ink(10, 30), w, [0, 39], 0, 19, 0, 20, 36), [-5, 30]);
  assert.deepEqual(lowGlyphRows(ink(19, 38), w, [0, 39], 0, 19, 0, 20, 36), [3, 38]);
  // A full glyph, a glyph whose lower half glare took (high in the band), a dash: the band.
  assert.deepEqual(lowGlyphRows(ink(2, 37), w, [0, 39], 0, 19, 0, 20, 36), [0, 39]);
  assert.deepEqual(lowGlyphRows(ink(2, 20), w, [0, 39], 0, 19, 0, 20, 36), [0, 39]);
  assert.deepEqual(lowGlyphRows(ink(18, 21), w, [0, 39], 0, 19, 0, 20, 36), [0, 39]);
  // An r (its middle bar and lower left upright): its foot is the upright's, a bar's depth above the cell's end.
  const r = ink(16, 19);
  for (let y = 20; y <= 34; y++) for (let x = 4; x < 7; x++) r[y * w + x] = 1;
  assert.deepEqual(lowGlyphRows(r, w, [0, 39], 0, 19, 0, 20, 36), [0, 39]);
  // No full glyph to say how tall a cell is: the band.
  assert.deepEqual(lowGlyphRows(ink(16, 34), w, [0, 39], 0, 19, 0, 20, 0), [0, 39]);
});
