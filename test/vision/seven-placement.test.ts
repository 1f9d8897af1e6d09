// A narrow glyph's cell on a seven-segment line is placed where the seven-segment table explains it, judged on the
// segments it is read with (seven-placement.ts). The crop is the line crop (213×59) of scripts/gen-panels-drawn.ts
// seed 235 frame 146: AL8252 on a blue-white LCD under motion blur. The L's ink (its upright and bottom bar, no right
// side) is narrower than the display's cells; placed as its ink lies, the upright's smear lit the inner positions
// beside it, which on dark strokes speak against every seven-segment glyph: the cell fit nothing (L 0.006), the
// cells never spoke for the line, and the recogniser's 818252 was kept as a status value.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { sevenSegmentLikelihoods } from '../../src/vision/ocr/display-kind.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/al8252-lcd-motion-blur.png');

const best = (lik: Map<string, number>): [string, number] => [...lik].reduce((a, b) => (b[1] > a[1] ? b : a));

describe('a narrow glyph placed for seven segments', () => {
  test('AL8252\'s L under motion blur is explained as an L, and every digit cell as before', async () => {
    const line = readSegmentCells(frameToRgb(await decodeImageFile(CROP)));
    assert.ok(line);
    assert.equal(line.segments, 7);
    const glyphs = line.cells.filter((c) => !c.shape).map((c) => best(sevenSegmentLikelihoods(c)));
    assert.equal(glyphs.length, 6);
    assert.equal(glyphs[1]![0], 'L');
    assert.ok(glyphs[1]![1] > 0.3, `the L is explained (${glyphs[1]![1].toFixed(3)})`);
    assert.deepEqual(glyphs.slice(2).map(([c]) => c), ['8', '2', '5', '2']);
  });
});
