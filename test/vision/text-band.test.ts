// The text band of a segment line (text-band.ts): ink that runs in from the crop's edge is the box's, not a glyph's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rowInkInside, textBand } from '../../src/vision/ocr/text-band.js';

/** A w×h mask: three 8-like glyphs in rows 4..21 (bars at 4-5, 12-13, 20-21, uprights between), a bezel column at x=w-1 from row 18 down. */
function mask(w = 44, h = 27): Uint8Array {
  const on = new Uint8Array(w * h);
  const set = (x: number, y: number): void => { on[y * w + x] = 1; };
  for (const x0 of [5, 17, 30]) for (let y = 4; y <= 21; y++) for (let x = x0; x < x0 + 8; x++) {
    const bar = y <= 5 || (y >= 12 && y <= 13) || y >= 20;
    if (bar || x < x0 + 2 || x >= x0 + 6) set(x, y);
  }
  for (let y = 18; y < h; y++) set(w - 1, y);
  return on;
}

test('a bezel column at the crop\'s edge does not carry the band past the glyphs', () => {
  const on = mask();
  assert.deepEqual(textBand(on, 44, 27), { top: 4, bottom: 21 });
  assert.equal(rowInkInside(on, 44, 24), 0);
  assert.equal(rowInkInside(on, 44, 8), 12);
});

test('a glyph touching the crop\'s edge still counts in rows where other glyphs stand', () => {
  const w = 30, h = 20, on = new Uint8Array(w * h);
  for (let y = 2; y <= 17; y++) { on[y * w] = 1; on[y * w + 1] = 1; on[y * w + 10] = 1; on[y * w + 11] = 1; }
  assert.deepEqual(textBand(on, w, h), { top: 2, bottom: 17 });
  // A wide run against the edge is a glyph's bar (a 7's top bar running out of the crop), not the box's edge.
  on.fill(0, w, 2 * w);
  on.fill(1, w + 12, 2 * w);
  assert.equal(rowInkInside(on, w, 1), w - 12);
  // A full row of ink is counted whole.
  on.fill(1, 0, w);
  assert.equal(rowInkInside(on, w, 0), w);
});

test('rows where only a glyph cut by the crop\'s side is lit do not split the band', () => {
  // Glyphs in rows 18..35 of a 46×37 crop; in rows 24..27 only the sliver of a glyph cut at the right edge is lit
  // (one pixel wide). Other ink stands in rows 0..15, above the glyphs: a shorter run, which must not win.
  const w = 46, h = 37, on = new Uint8Array(w * h);
  for (let y = 0; y <= 15; y++) for (let x = 10; x < 20; x++) on[y * w + x] = 1;
  for (let y = 18; y <= 35; y++) {
    on[y * w + w - 1] = 1;
    if (y < 24 || y > 27) for (let x = 20; x < 28; x++) on[y * w + x] = 1;
  }
  assert.deepEqual(textBand(on, w, h), { top: 18, bottom: 35 });
});
