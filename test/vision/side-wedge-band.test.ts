// A narrow wedge of ink against a side of a line's crop (the corner of a glare streak or a bezel the box caught) is
// not part of the line's text band (text-band.ts dropSideWedges). The frame is scripts/gen-panels-drawn.ts seed 325
// frame 29: H30 on a tilted seven-segment VFD with ghost segments, a glare streak crossing the panel beside the
// display. The line's box caught the streak's corner at its top left: a wedge five pixels wide at the crop's top
// narrowing into the glyphs' rows, with no other ink on its rows. The band ran from the crop's top, six rows over
// the top bars, so every cell sampled its top bar on background: the H's open top could not be told from the 3's and
// 0's lost ones, and the recogniser's 830 stood as a status and the alarm was lost.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cellLetter } from '../../src/vision/ocr/cell-letters.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { textBand } from '../../src/vision/ocr/text-band.js';

const FIXTURES = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');
const FRAME = join(FIXTURES, 'frames/drawn-h30-vfd-streak-corner.jpg');
const CROP = join(FIXTURES, 'segment-crops/h30-vfd-streak-corner-read-830.png');

/** A w×h mask: two 8-like glyphs in rows 10..40, with `corner` (x, y) pixels set besides. */
function mask(w: number, h: number, corner: (set: (x: number, y: number) => void) => void): Uint8Array {
  const on = new Uint8Array(w * h);
  const set = (x: number, y: number): void => { on[y * w + x] = 1; };
  for (const x0 of [14, 36]) for (let y = 10; y <= 40; y++) for (let x = x0; x < x0 + 14; x++) {
    const bar = y <= 12 || (y >= 24 && y <= 26) || y >= 38;
    if (bar || x < x0 + 3 || x >= x0 + 11) set(x, y);
  }
  corner(set);
  return on;
}

describe('a streak\'s corner in a line\'s box', { timeout: 180_000 }, () => {
  let analyzer: VisionAnalyzer;
  before(async () => { analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } }); });
  after(async () => { await analyzer?.close(); });

  test('H30 under a streak\'s corner is the code H30, not the status 830', async () => {
    const v = await analyzer.analyze(await decodeImageFile(FRAME));
    assert.deepEqual(v.alarmCodes, ['H30'], JSON.stringify(v.text));
  });

  test('the crop\'s band starts at the top bars: the 3 and 0 show theirs lit, the first cell is a clear H', async () => {
    // The line's crop as the reader cut it on this frame (bench/_ocr-debug.ts cells FRAME --line=2 --save=DIR).
    const line = readSegmentCells(frameToRgb(await decodeImageFile(CROP)))!;
    assert.equal(line.cells.length, 3, JSON.stringify(line.cells.map((c) => [c.x0, c.x1, c.shape])));
    assert.ok(line.cells[1]!.lit.a! > 0.8 && line.cells[2]!.lit.a! > 0.8, JSON.stringify(line.cells.map((c) => c.lit.a)));
    assert.equal(cellLetter(line.cells[0]!), 'H');
  });

  test('a wedge narrowing along the crop\'s side into the glyphs\' rows is not the band\'s', () => {
    // Rows 3..9: ink from the left side only, 6 pixels wide narrowing to 4, and on down beside the glyphs to 1.
    const on = mask(60, 50, (set) => { for (let y = 3; y <= 16; y++) for (let x = 0; x < Math.max(1, 7 - Math.floor(y / 3)); x++) set(x, y); });
    assert.deepEqual(textBand(on, 60, 50), { top: 10, bottom: 40 });
  });

  test('a bar against the side as long as a glyph, or rows with ink away from the side, stay the band\'s', () => {
    // A top bar run out of the crop (an italic 7 cut by the box) in rows 8..9, 14 pixels long: a bar, not a wedge.
    const bar = mask(60, 50, (set) => { for (let y = 8; y <= 9; y++) for (let x = 0; x < 14; x++) set(x, y); });
    assert.deepEqual(textBand(bar, 60, 50), { top: 8, bottom: 40 });
    // The same narrow wedge with a glyph's ink on its rows: those rows are the line's.
    const shared = mask(60, 50, (set) => { for (let y = 6; y <= 12; y++) { set(0, y); set(1, y); set(2, y); set(20, y); } });
    assert.deepEqual(textBand(shared, 60, 50), { top: 6, bottom: 40 });
  });
});
