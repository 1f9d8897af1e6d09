// A cell the segment reader knows only by its narrow shape (an upright: a 1) had none of its segments sampled, so
// where a sure recogniser reads another character there (a 7 drawn with a short or slanted top bar), the recogniser's
// evidence for that character outweighs the shape's (segment-lattice.ts). A cell whose segments were sampled keeps
// deciding against the recogniser (the F the recogniser read as 8 on a display with ghost segments).
// The crop is a line kept from a geometry-drawn frame (scripts/gen-panels-drawn.ts, development set drawn1 frame 43: F977 on a VFD
// with ghost segments, its sevens drawn as a top bar and a diagonal); the lattices are hand-made after what the
// recogniser emitted on it (8977, each character at about 0.97-1.0).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { latticeOf, type LatticeStep } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const file = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/f977-narrow-sevens-vfd.png');

/** 19 recogniser steps over the 242-pixel crop, the line's four characters at steps 2, 7, 12 and 16. */
function lattice(chars: [LatticeStep, LatticeStep, LatticeStep, LatticeStep]) {
  const steps: LatticeStep[] = Array.from({ length: 19 }, () => ({}));
  [2, 7, 12, 16].forEach((t, i) => { steps[t] = chars[i]!; });
  return latticeOf(dict, steps);
}

test('narrow sevens: a sure recogniser\'s 7 outweighs the cells\' upright; its 8 does not outweigh a sampled F', async () => {
  const img = frameToRgb(await decodeImageFile(file));
  const line = readSegmentCells(img);
  assert.ok(line);
  assert.deepEqual(line.cells.map((c) => c.shape ?? 'cell'), ['cell', 'cell', '1', '1'], 'the sevens are narrow uprights to the cell reader');
  const read = (chars: Parameters<typeof lattice>[0]) => segmentReading(line, lattice(chars), dict, img.width, img.height)!;
  const sure = read([{ 8: 0.97, 6: 0.02 }, { 9: 0.99 }, { 7: 0.99, 1: 0.005 }, { 7: 0.99, 1: 0.005 }]);
  assert.equal(sure.text, 'F977');
  const code = new LineGrammar().readLine(sure.lattice, dict, { text: sure.text, confidence: sure.confidence }, { confusion: 0, segment: 1 });
  assert.equal(code.kind, 'alarm');
  assert.equal(code.text, 'F977');
  // An unsure recogniser, or one that reads the uprights as 1s, leaves them 1s.
  assert.equal(read([{ F: 0.9 }, { 9: 0.99 }, { 7: 0.5, 1: 0.4 }, { 1: 0.95 }]).text, 'F911');
});
