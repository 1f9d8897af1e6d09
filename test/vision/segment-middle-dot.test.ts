// A middle bar position lit only at its centre is no bar (segment-sampling.ts). A 5×7 dot-matrix font draws its
// zero with a slash that crosses the middle row at the centre dot only (the HD44780 zero); where blur leaves a dot
// display too little of its lattice to be told from segments, the segment reader read that centre dot as the middle
// bar and the 0 as an 8 (C-80 reported C-88 though the recogniser read C-80). The 8 beside it, whose middle row of
// dots runs across the cell, keeps its bar. The crop is the display line of frame 216 of this branch's own set (dot-matrix
// frames 100-299 of drawn seed 34, bench/_gen-sets.ts drawn --dots): C-80 on a blurred VFD with unlit dots beside, tilted.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../../src/vision/ocr/segment16.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

test('a slashed dot-matrix zero read as segments is no 8: its centre dot is no middle bar (C-80)', async () => {
  const line = readSegmentCells(frameToRgb(await decodeImageFile(crop('c80-slashed-zero-dots-vfd.png'))));
  assert.ok(line);
  const eight = line.cells[line.cells.length - 2]!, zero = line.cells[line.cells.length - 1]!;
  assert.ok(eight.lit.g! > 0.8, `middle bar of the 8 judged lit (${eight.lit.g})`);
  assert.ok(zero.lit.g! < 0.4, `centre dot of the slashed 0 judged no middle bar (${zero.lit.g})`);
  const best = [...cellLikelihoods(zero, line.segments)].sort((a, b) => b[1] - a[1])[0]![0];
  assert.match(best, /^[0O]$/);
});
