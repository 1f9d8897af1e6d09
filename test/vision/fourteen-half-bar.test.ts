// A fourteen-segment display draws its middle bar in two halves, and letters light one alone (F, K); a seven-segment
// display's middle bar is one stroke. Read as seven segments, a lone half is lost in the bar's centre light and the
// cell passes for a seven-segment glyph (display-kind.ts sevenSegmentLikelihoods). And an emitting display's glow on
// the diagonals beside its bars is no stroke when its glyphs are read on fourteen segments (segment16.ts).
// The crop is the display line of frame 258 of this branch's set d217 (scripts/gen-panels-drawn.ts, seed 217): F48 on
// a fourteen-segment VFD with ghost segments and blur. The recogniser reads 898. Before, the line was judged seven-
// segment (cells R48), the grammar bent that to F48 under the confidence floor, and the frame read nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { sevenSegmentLikelihoods } from '../../src/vision/ocr/display-kind.js';
import { glyphLikelihoods } from '../../src/vision/ocr/segment-glyphs.js';
import { cellLikelihoods } from '../../src/vision/ocr/segment16.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/f48-glowing-fourteen-vfd.png');

describe('a fourteen-segment F with one half of its middle bar', { timeout: 120_000 }, () => {
  const r = realReader();

  test('F48 on a glowing VFD: judged fourteen-segment, read F48 by the cells, sure enough to report', async () => {
    const crop = frameToRgb(await decodeImageFile(file));
    const cells = readSegmentCells(crop)!;
    assert.equal(cells.segments, 14, 'the F\'s lone left half of the middle bar speaks for fourteen segments');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(line.cells, 'F48', JSON.stringify(line));
    assert.equal(line.reading?.kind, 'alarm');
    assert.equal(line.text, 'F48');
    assert.ok(line.confidence >= 0.5, `read above the analyzer's floor (${line.confidence})`);
  });
});

const off = { b: 0.05, c: 0.05, d: 0.05, h: 0.05, i: 0.05, j: 0.05, k: 0.05, l: 0.05, m: 0.05 };

test('a middle bar lit in one half only is explained by no seven-segment glyph; both halves alike change nothing', () => {
  const f = { a: 0.95, e: 0.95, f: 0.95, ...off };
  const best = (m: Map<string, number>): number => Math.max(...m.values());
  // Left half lit, right half dark, the centre between them dim: as seven segments an F with a dim bar or a bar-less glyph.
  const half = { lit: { ...f, g: 0.3, g1: 0.9, g2: 0.05 } };
  assert.ok(best(glyphLikelihoods(half.lit, 7)) > 0.1, 'read as it lies, some seven-segment glyph explains it');
  assert.ok(best(sevenSegmentLikelihoods(half)) < 0.5 * best(glyphLikelihoods(half.lit, 7)), 'one bar cannot be lit and dark');
  // A whole bar (both halves lit) and no bar (both dark) are read as they lie.
  for (const bar of [{ g: 0.9, g1: 0.9, g2: 0.85 }, { g: 0.05, g1: 0.05, g2: 0.1 }, { g: 0.5, g1: 0.6, g2: 0.3 }]) {
    const cell = { lit: { ...f, ...bar } };
    assert.deepEqual(sevenSegmentLikelihoods(cell), glyphLikelihoods(cell.lit, 7));
  }
  // A half that glare left unjudged says nothing.
  const glared = { lit: { ...f, g: 0.3, g1: 0.9, g2: NaN } };
  assert.deepEqual(sevenSegmentLikelihoods(glared), glyphLikelihoods(glared.lit, 7));
});

test('on fourteen segments glow beside the bars does not hide a glyph, and a stroke that touches them still counts', () => {
  // An F whose left diagonals glow (lit 0.65, not standing apart from the bars) on an emitting display.
  const glow = { lit: { a: 0.95, e: 0.95, f: 0.95, g1: 0.9, g2: 0.05, ...off, h: 0.65, k: 0.65 }, standing: { h: 0, i: 0, j: 0, k: 0, l: 0, m: 0 } };
  assert.ok(glyphLikelihoods(glow.lit, 14).get('F')! < 0.05, 'read from the light as it lies, the glow speaks against F');
  assert.ok(cellLikelihoods(glow, 14).get('F')! > 0.3, 'counted as glow, the F stands');
  // Without standing scores (a dark-stroke display, nothing glows) the light is read as it lies.
  const dark = { lit: glow.lit };
  assert.deepEqual(cellLikelihoods(dark, 14), glyphLikelihoods(dark.lit, 14));
  // A drawn diagonal at full light keeps its glyph's likelihood (the max of both readings): a K stays a K.
  const k = { lit: { e: 0.95, f: 0.95, g1: 0.9, ...off, j: 0.95, m: 0.95, a: 0.05, g2: 0.05 }, standing: { h: 0, i: 0, j: 0, k: 0, l: 0, m: 0 } };
  assert.equal(cellLikelihoods(k, 14).get('K'), glyphLikelihoods(k.lit, 14).get('K'));
});
