// A line read off a dot lattice inside a code's box is the display's own characters, not a printed legend
// (src/vision/ocr/legend-prefix.ts). The frame is gen-panels-drawn seed 331, frame 64: FLT 45 on a tilted cyan VFD
// under a glare spot; the stroke search's box over the line is twice the glyphs' height, and the detector boxed FL
// alone inside it, under half that box's height, read with its dots joined. FL stood where the code's letters are, so
// the code was withheld as a legend's letters.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { prefixOnLegend } from '../../src/vision/ocr/legend-prefix.js';

const FRAME = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/dot-matrix-flt45-fl-boxed-inside.jpg');
const CATALOG = ['/E-\\d{3}/', '/E\\d{2,3}/', '/AL\\d{3,4}/', '/F-?\\d{2,3}/', '/ERR[- ]?\\d{2,3}/', '/A\\d{2}/', '/ALM \\d{2}/', '/FLT \\d{2}/',
  '/H\\d{2}/', '/C-\\d{2}/'];

// The boxes the reader gave on the frame.
const code = { box: { x: 427, y: 256, width: 157, height: 56 } };
const fl = { text: 'FL', box: { x: 436, y: 276, width: 46, height: 25 } };

describe('a dot-matrix piece of the display inside a code\'s box is no legend', () => {
  test('FL read off a dot lattice does not make FLT 45 a legend\'s letters; the same box read as print does', () => {
    assert.equal(prefixOnLegend(code, 'FLT 45', [{ ...fl, dotMatrix: 0.14 }]), false);
    assert.equal(prefixOnLegend(code, 'FLT 45', [fl]), true, 'print in that place is still a legend');
  });

  test('the whole frame: FLT 45 is reported, with the catalog and without', { timeout: 180_000 }, async () => {
    const image = await decodeImageFile(FRAME);
    for (const alarmPatterns of [CATALOG, []]) {
      const analyzer = await VisionAnalyzer.create({ alarmPatterns, ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
      try {
        assert.deepEqual((await analyzer.analyze(image)).alarmCodes, ['FLT 45'], alarmPatterns.length ? 'with the catalog' : 'without it');
      } finally {
        await analyzer.close();
      }
    }
  });
});
