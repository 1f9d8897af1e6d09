// A line in doubt is read again on its lit strokes (view-retry.ts). Where the lit view reads the very characters the
// first view read, the characters are not in question, only what each view's lattice lends them; the grammar's
// interpretations of the two decide, as they do for the enhanced view. Before, a lit reading a little surer of its
// greedy path replaced the first one whatever the grammar made of it: a seven-segment AL673 read 8L673 on every view
// was the code AL673 on the plain crop and became the bare number 81673 from the lit view's lattice, which was less
// sure of the L (an L's foot lost with the ghost light reads 1). The lattices here are made by hand (the recogniser's
// output for the two views), the crop is a real display crop (its lit view is made from it), the grammar is the real one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import type { LineInterpretation, Recognised } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { litView } from '../../src/vision/ocr/lit-view.js';
import { retryOnOtherViews, type ViewRetryLine } from '../../src/vision/ocr/view-retry.js';
import { latticeOf, type LatticeStep } from '../helpers/lattice.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/crops/lcd-al264-box-over-bezel.png');
const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const grammar = new LineGrammar();

/** `8L673` read greedily, with `first` the first step's classes and `second` the second's. */
function read(first: LatticeStep, second: LatticeStep, confidence: number): Recognised {
  const clear = (ch: string): LatticeStep[] => [{ [ch]: 0.98 }, { '': 0.99 }];
  const lattice = latticeOf(dict, [first, { '': 0.99 }, second, { '': 0.99 }, ...clear('6'), ...clear('7'), ...clear('3')]);
  return { greedy: { text: '8L673', confidence }, lattice };
}

/** What the grammar makes of a view's recognition (no segment cells: the lattices alone differ). */
function interpret(_k: number, r: Recognised): LineInterpretation {
  const reading = grammar.readLine(r.lattice, dict, r.greedy, { confusion: 0, segment: 0 });
  return { text: reading.text, confidence: reading.confidence, reading, segment: 0 };
}

async function retried(plain: Recognised, lit: Recognised): Promise<{ line: ViewRetryLine; read: LineInterpretation | undefined }> {
  const crop = frameToRgb(await decodeImageFile(CROP));
  assert.ok(litView(crop), 'the crop has a lit view');
  const line: ViewRetryLine = { crop, first: plain, view: 'original', dotMatrix: false, dots: null };
  const got = await retryOnOtherViews([line], {
    dict, grammar, retryBelow: 0.85, segmentCells: false,
    // The recogniser's reading of the lit view (the only view read: the first reading is sure, but in doubt to the grammar).
    recognise: async (crops) => crops.map(() => lit),
    interpret,
  });
  return { line, read: got.get(0) };
}

test('the plain lattice makes a code and the lit one a bare number of the same characters: the code stays', async () => {
  const plain = read({ '8': 0.58, A: 0.35 }, { L: 0.94, '1': 0.04 }, 0.902);
  const lit = read({ '8': 0.9, A: 0.05 }, { L: 0.6, '1': 0.35 }, 0.915);
  assert.equal(interpret(0, plain).reading?.code, 'AL673', 'the plain lattice reads the code');
  assert.equal(interpret(0, lit).reading?.kind, 'status', 'the lit lattice reads a bare number');
  const { line, read: r } = await retried(plain, lit);
  assert.equal(line.view, 'original');
  assert.equal(r?.reading?.code, 'AL673');
});

test('the lit lattice makes a code of the same characters where the plain one does not: the lit view wins', async () => {
  const plain = read({ '8': 0.9, A: 0.05 }, { L: 0.6, '1': 0.35 }, 0.915);
  const lit = read({ '8': 0.58, A: 0.35 }, { L: 0.94, '1': 0.04 }, 0.902);
  const { line, read: r } = await retried(plain, lit);
  assert.equal(line.view, 'lit');
  assert.equal(r?.reading?.code, 'AL673');
});
