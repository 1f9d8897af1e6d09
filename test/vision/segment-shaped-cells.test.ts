// A cell the segment reader knows only by its narrow shape (an upright: a 1) had none of its segments sampled, so
// where a sure recogniser reads another character there (a 7 drawn with a short or slanted top bar), the recogniser's
// evidence for that character outweighs the shape's (segment-lattice.ts). A cell whose segments were sampled keeps
// deciding against the recogniser (the F the recogniser read as 8 on a display with ghost segments).
// The crop is a line kept from a geometry-drawn frame (scripts/gen-panels-drawn.ts, development set drawn1 frame 43: F977 on a VFD
// with ghost segments, its sevens drawn as a top bar and a diagonal); the lattices are hand-made after what the
// recogniser emitted on it (8977, each character at about 0.97-1.0).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { latticeOf, silentLattice, type LatticeStep } from '../helpers/lattice.js';
import { tempDir } from '../helpers/tmp.js';

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

// A seven drawn with its upper left upright (a, b, c, f), blurred: the uprights' ends glow into the places of the
// middle bar's halves while its centre stays dark. Read as a split middle bar it made the 7 a 9 (E171 read E191, the
// recogniser reading 9 there at 0.98 too). Crop kept from the development set drawn1 (frame 207: red LED, glare
// streak, over-exposed, blur).
test('a dark middle between glowing halves is no split bar: the 7 with its upper left upright stays a 7', async () => {
  const img = frameToRgb(await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/e171-seven-with-upright-blur.png')));
  const line = readSegmentCells(img);
  assert.ok(line);
  assert.equal(line.segments, 7);
  assert.equal(line.cells.length, 4);
  // 18 steps over the 150-pixel crop; the recogniser read E191 (steps 2, 6, 8, 12).
  const steps: LatticeStep[] = Array.from({ length: 18 }, () => ({}));
  [[2, { E: 0.98 }], [6, { 1: 0.87, I: 0.11 }], [8, { 9: 0.98 }], [12, { 1: 0.98 }]].forEach(([t, s]) => { steps[t as number] = s as LatticeStep; });
  const seg = segmentReading(line, latticeOf(dict, steps), dict, img.width, img.height)!;
  assert.equal(seg.text, 'E171');
});

test('a fourteen-segment display\'s digits read on seven segments keep their split middle bars', () => {
  const file = join(tempDir('segment-halves'), 'digits.ppm');
  execFileSync('convert', ['-background', '#080202', '-fill', '#ff8020', '-font', '/usr/share/fonts/truetype/dseg/DSEG14Modern-Bold.ttf', '-pointsize', '56',
    'label:3948', '-bordercolor', '#080202', '-border', '14x10', '-depth', '8', file]);
  const buf = readFileSync(file);
  const [, w, h] = buf.toString('latin1', 0, 32).split(/\s+/).map(Number) as [number, number, number];
  const img = { data: Float32Array.from(buf.subarray(buf.length - w * h * 3)), width: w, height: h };
  const line = readSegmentCells(img)!;
  assert.equal(line.segments, 7);
  assert.equal(segmentReading(line, silentLattice(dict, 20), dict, w, h)!.text, '3948');
});
