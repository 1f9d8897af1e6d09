// Lit and unlit are split above the line's ghost level (ghost-level.ts), the light its unlit segments show.
// The crop is a line box as the reader cuts it (re-encoded losslessly enough as a quality-100 JPEG to stay small):
// scripts/gen-panels-drawn.ts seed 233 frame 202 (helper ghost49's set), the code F778 on an inverted seven-segment
// LCD under blur, a glare wash and noise, its unlit segments sampling 0.35 to 0.48 of the lit level. Split at half
// the lit level they were neither lit nor dark, no glyph explained the F, and the recogniser's F718 (a 7 read 1) was
// reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { aboveGhostLevel, ghostLevel } from '../../src/vision/ocr/ghost-level.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cell.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../../src/vision/ocr/segment16.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/code-f778-ghosts-under-blur.jpg');

const cell = (lit: SegmentCell['lit']): SegmentCell => ({ x0: 0, x1: 10, lit: { ...lit }, spaceBefore: false });

describe('the ghost level of a segment line', { timeout: 180_000 }, () => {
  const r = realReader();

  test('moves the split between lit and unlit up where the unlit segments glow, and only there', () => {
    // A 7 and a 4 whose unlit segments glow at about 0.4: the 7's middle bar at 0.45 is no half-lit bar but a ghost.
    const cells = [cell({ a: 1, b: 1, c: 1, d: 0.4, e: 0.4, f: 0.35, g: 0.45 }), cell({ a: 0.4, b: 0.95, c: 1, d: 0.4, e: 0.4, f: 0.9, g: 0.9 })];
    assert.equal(ghostLevel(cells), 0.4);
    const split = aboveGhostLevel(cells);
    assert.ok(Math.abs(split - Math.sqrt(0.4)) < 1e-9, String(split));
    assert.equal(cells[0]!.lit.a, 1);
    assert.ok(cells[0]!.lit.g! < 0.4 && cells[0]!.lit.d! < 0.35, JSON.stringify(cells[0]!.lit));
    assert.ok(cells[1]!.lit.f! > 0.85 && cells[1]!.lit.f! < 0.9, JSON.stringify(cells[1]!.lit));
    // Ghosts at 0.16 leave the split at half: an L's bottom bar sampled dim at 0.42 stays as it was.
    const dim = [cell({ a: 0.16, b: 0.13, c: 0.12, d: 0.42, e: 0.9, f: 0.9, g: 0.2 }), cell({ a: 0.17, b: 1, c: 1, d: 0.17, e: 0.18, f: 1, g: 0.9 })];
    assert.equal(aboveGhostLevel(dim), 0.5);
    assert.equal(dim[0]!.lit.d, 0.42);
    // Too few unlit positions (a line of 8s) measure nothing.
    assert.equal(ghostLevel([cell({ a: 1, b: 1, c: 1, d: 1, e: 0.9, f: 1, g: 0.3 })]), 0);
  });

  test('lets the cells read F778 under blur, where the recogniser read F718', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const line = readSegmentCells(crop)!;
    const best = line.cells.map((c) => [...cellLikelihoods(c, line.segments)].sort((a, b) => b[1] - a[1])[0]!);
    assert.deepEqual(best.map(([ch]) => ch), ['F', '7', '7', '8']);
    assert.ok(best.every(([, l]) => l > 0.2), JSON.stringify(best)); // the F at 0.05 before
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text, 'F718', 'the recogniser reads the first 7 as a 1');
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.text, 'F778', JSON.stringify(read));
  });
});
