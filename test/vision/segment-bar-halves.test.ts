// A full-width bar position of a segment cell (middle, bottom) lit in one half only, where that half's light
// goes on along an upright into the cell, is an upright's end, not the bar (segment-cells.ts): on a steeply slanted
// or blurred display the lower end of a 7's right upright reaches into the right half of the bottom and middle
// positions, and a bar judged by its best row as a whole took that for a lit bar, so the 7 read as a 3 (E07 read
// E03) or a 9. A bar lit in one half with nothing beyond it keeps its light: a short blob of a bar that the slant
// set off to one side (C-45 must not become L-45), the right half bar of a fourteen-segment 3 (AL5183 keeps its
// middle bar lit). The crops are display lines kept from geometry-drawn frames
// (scripts/gen-panels-drawn.ts): development set drawn2 frame 90 (E07 on a red LED, slant about 11 degrees, JPEG)
// and frame 32 (FLT 77 on an amber LED with rounded segments and ghost segments), and this branch's own set i11v
// drawn3 (seed 11311) frames 65 (C-45, rectangular segments with wide gaps, slant 8) and 29 (AL5183 on fourteen
// segments).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { readSegmentCells, type SegmentLine } from '../../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../../src/vision/ocr/segment16.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

/** Each cell's most likely glyph, as the segment lattice ranks them (shapes as they are). */
function cellsText(line: SegmentLine): string {
  return line.cells.map((c) => (c.spaceBefore ? ' ' : '') + (c.shape
    ?? [...cellLikelihoods(c, line.segments)].sort((a, b) => b[1] - a[1])[0]![0])).join('');
}

test('a slanted 7 whose upright ends beside the bottom bar is no 3 (E07)', async () => {
  const line = readSegmentCells(frameToRgb(await decodeImageFile(crop('e07-slanted-red-led.png'))));
  assert.ok(line);
  assert.equal(line.segments, 7);
  const text = cellsText(line);
  // The middle cell is a 0 or an O (drawn alike); the last must be a 7.
  assert.match(text, /^E[0O]7$/);
  const seven = line.cells[2]!;
  assert.ok(seven.lit.d! < 0.4, `bottom bar of the 7 judged unlit (${seven.lit.d})`);
  assert.ok(seven.lit.g! < 0.4, `middle bar of the 7 judged unlit (${seven.lit.g})`);
});

test('blurred 7s with their upper left upright keep the bottom bar dark (FLT 77)', async () => {
  const line = readSegmentCells(frameToRgb(await decodeImageFile(crop('flt77-sevens-round-amber.png'))));
  assert.ok(line);
  const text = cellsText(line);
  assert.match(text, / 77$/);
  for (const c of line.cells.slice(-2)) assert.ok(c.lit.d! < 0.2, `bottom bar of a 7 judged unlit (${c.lit.d})`);
});

test('a short bar set off to one side by the slant keeps its light (C-45, not L-45)', async () => {
  const line = readSegmentCells(frameToRgb(await decodeImageFile(crop('c45-blob-bars-slanted-led.png'))));
  assert.ok(line);
  assert.equal(cellsText(line), 'C-45');
  assert.ok(line.cells[0]!.lit.a! > 0.5, `top bar of the C judged lit (${line.cells[0]!.lit.a})`);
});

test('a fourteen-segment 3 shown with its right half bar keeps its seven-segment middle (AL5183)', async () => {
  const line = readSegmentCells(frameToRgb(await decodeImageFile(crop('al5183-fourteen-half-bars.png'))));
  assert.ok(line);
  // The 3's lone right half bar tells the line for fourteen segments (display-kind.ts sevenSegmentLikelihoods); its
  // cells read the same on either table.
  assert.equal(line.segments, 14);
  assert.match(cellsText(line), /^AL[5S]1[8B]3$/);
  assert.ok(line.cells[line.cells.length - 1]!.lit.g! > 0.5, 'middle of the 3 judged lit');
});
