// Which view's reading of a line stands (view-retry.ts), where the views read codes.
// - Two views that read two codes, the other about as sure as the first but not surer (view-choice.ts
//   aboutAsSureCodes). Before, the other view's code was never weighed unless it was surer, and the first code stood:
//   a fourteen-segment ERR 98 with a ghost cell after it read ERR8981 at 0.782 on the plain crop (made ERR 981) and
//   ERR898 at 0.781 on the enhanced one, and ERR 981 was reported. Now such a pair is two codes in doubt, and the third
//   views decide (view-third.ts) as they do for a surer other view: the lit view read ERR 98.
// - A line in doubt read again on its lit strokes with the very characters the first view read: the characters are
//   not in question, only what each view's lattice lends them, so the grammar's interpretations decide, as for the
//   enhanced view. Before, a lit reading a little surer of its greedy path replaced the first whatever the grammar made
//   of it: a seven-segment AL673 read 8L673 on every view was the code AL673 on the plain crop and became the bare
//   number 81673 from the lit view's lattice, less sure of the L (an L's foot lost with the ghost light reads 1).
// The recogniser's readings of the views are made by hand (a lattice per reading); the crop is a real display crop
// (its lit view is made from it) and the grammar is the real one.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import type { LineInterpretation, Recognised } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { litView } from '../../src/vision/ocr/lit-view.js';
import { aboutAsSureCodes } from '../../src/vision/ocr/view-choice.js';
import { retryOnOtherViews, type ViewRetryLine } from '../../src/vision/ocr/view-retry.js';
import { latticeOf, type LatticeStep } from '../helpers/lattice.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/crops/lcd-al264-box-over-bezel.png');
const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const grammar = new LineGrammar();

/** `text` read clearly, one character per step, at greedy confidence `confidence`. */
function read(text: string, confidence: number): Recognised {
  const steps: LatticeStep[] = [...text].flatMap((ch) => [{ [ch]: 0.97 }, { '': 0.99 }]);
  return { greedy: { text, confidence }, lattice: latticeOf(dict, steps) };
}

function interpret(_k: number, r: Recognised): LineInterpretation {
  const reading = grammar.readLine(r.lattice, dict, r.greedy, { confusion: 0, segment: 0 });
  return { text: reading.text, confidence: reading.confidence, reading, segment: 0 };
}

/** The line read `first` on its crop, `enhanced` on the enhanced view, `third` on each third view. */
async function retried(first: Recognised, enhanced: Recognised, third: Recognised): Promise<{ line: ViewRetryLine; read?: LineInterpretation; batches: number }> {
  const crop: RgbImage = frameToRgb(await decodeImageFile(CROP));
  const line: ViewRetryLine = { crop, first, view: 'original', dotMatrix: false, dots: null };
  let batches = 0;
  const got = await retryOnOtherViews([line], {
    dict, grammar, retryBelow: 0.85, segmentCells: false,
    // First batch: the enhanced view, then the lit view (read as the first view read it). Later: the third views.
    recognise: async (crops) => (batches++ === 0 ? [enhanced, ...crops.slice(1).map(() => first)] : crops.map(() => third)),
    interpret,
  });
  return { line, read: got.get(0), batches };
}

test('two codes about as sure: which code is in question', () => {
  const d = (text: string, confidence: number): { text: string; confidence: number } => ({ text, confidence });
  assert.equal(aboutAsSureCodes(d('ERR898', 0.781), d('ERR8981', 0.782), grammar), true);
  assert.equal(aboutAsSureCodes(d('ERR898', 0.75), d('ERR8981', 0.782), grammar), false, 'less sure');
  assert.equal(aboutAsSureCodes(d('1450', 0.781), d('ERR8981', 0.782), grammar), false, 'a bare number is no code');
  assert.equal(aboutAsSureCodes(d('ERR898', 0.781), d('RUN 1450', 0.782), grammar), false, 'the first is a status');
});

test('the third views side with the other code, about as sure as the first: it is taken', async () => {
  const { line, read: r, batches } = await retried(read('ERR8981', 0.782), read('ERR898', 0.781), read('ERR898', 0.95));
  assert.equal(batches, 2, 'the third views were read');
  assert.equal(r?.reading?.code, 'ERR898');
  assert.equal(line.view, 'enhanced');
});

test('the third views side with the first code: it stays', async () => {
  const { line, read: r } = await retried(read('ERR8981', 0.782), read('ERR898', 0.781), read('ERR8981', 0.95));
  assert.equal(r?.reading?.code, 'ERR8981');
  assert.equal(line.view, 'original');
});

test('the third views side with neither: no code is reported', async () => {
  const { read: r } = await retried(read('ERR8981', 0.782), read('ERR898', 0.781), read('ERR8', 0.95));
  assert.equal(r?.reading?.kind, 'text');
  assert.equal(r?.codeInDoubt, 'ERR898');
});

// With a catalog, ERR8981 (four digits) is no code to the patterns: only what the ghost rules make of it, ERR 981, is.
// Before, the pair was weighed on the raw readings only, so with the catalog the first code stood (ERR 981 reported).
const catalog = new LineGrammar({ alarmPatterns: ['/ERR[- ]?\\d{2,3}/'] });

test('with a catalog, two codes about as sure are weighed on what the readings were made into', () => {
  const d = (text: string, confidence: number): { text: string; confidence: number } => ({ text, confidence });
  const code = (text: string) => catalog.classifyText(text, 0.78);
  assert.equal(aboutAsSureCodes(d('ERR898', 0.781), d('ERR8981', 0.782), catalog), false, 'the raw first reading is no catalogued code');
  assert.equal(aboutAsSureCodes(d('ERR898', 0.781), d('ERR8981', 0.782), catalog, () => [code('ERR 98'), code('ERR 981')]), true);
  assert.equal(aboutAsSureCodes(d('ERR898', 0.781), d('ERR8981', 0.782), catalog, () => [code('ERR 98'), code('ERR 9811')]), false,
    'what the first was made into is no code either');
  assert.equal(aboutAsSureCodes(d('ERR898', 0.70), d('ERR8981', 0.782), catalog, () => [code('ERR 98'), code('ERR 981')]), false, 'less sure');
});

test('with a catalog, the third views decide between two codes made from the readings', async () => {
  const crop: RgbImage = frameToRgb(await decodeImageFile(CROP));
  const first = read('ERR8981', 0.782), line: ViewRetryLine = { crop, first, view: 'original', dotMatrix: false, dots: null };
  // The ghost rules' part, by hand: the trailing ghost cell dropped (ERR8981 -> ERR 981, ERR898 -> ERR 98).
  const made = (text: string): string => text.replace(/^ERR8(\d+?)1?$/, (_m, d: string) => `ERR ${d}${text.endsWith('981') ? '1' : ''}`);
  const interpretCatalog = (_k: number, r: Recognised): LineInterpretation => {
    const reading = catalog.classifyText(made(r.greedy.text), r.greedy.confidence);
    return { text: reading.text, confidence: reading.confidence, reading, segment: 0 };
  };
  assert.equal(interpretCatalog(0, first).reading?.code, 'ERR 981');
  let batches = 0;
  const got = await retryOnOtherViews([line], {
    dict, grammar: catalog, retryBelow: 0.85, segmentCells: false,
    recognise: async (crops) => (batches++ === 0 ? [read('ERR898', 0.781), ...crops.slice(1).map(() => first)] : crops.map(() => read('ERR898', 0.95))),
    interpret: interpretCatalog,
  });
  assert.equal(batches, 2, 'the third views were read');
  assert.equal(got.get(0)?.reading?.code, 'ERR 98');
  assert.equal(line.view, 'enhanced');
});

/** `8L673` read greedily, with `first` the first step's classes and `second` the second's. */
function read8L673(first: LatticeStep, second: LatticeStep, confidence: number): Recognised {
  const clear = (ch: string): LatticeStep[] => [{ [ch]: 0.98 }, { '': 0.99 }];
  const lattice = latticeOf(dict, [first, { '': 0.99 }, second, { '': 0.99 }, ...clear('6'), ...clear('7'), ...clear('3')]);
  return { greedy: { text: '8L673', confidence }, lattice };
}

async function litRetried(plain: Recognised, lit: Recognised): Promise<{ line: ViewRetryLine; read: LineInterpretation | undefined }> {
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
  const plain = read8L673({ '8': 0.58, A: 0.35 }, { L: 0.94, '1': 0.04 }, 0.902);
  const lit = read8L673({ '8': 0.9, A: 0.05 }, { L: 0.6, '1': 0.35 }, 0.915);
  assert.equal(interpret(0, plain).reading?.code, 'AL673', 'the plain lattice reads the code');
  assert.equal(interpret(0, lit).reading?.kind, 'status', 'the lit lattice reads a bare number');
  const { line, read: r } = await litRetried(plain, lit);
  assert.equal(line.view, 'original');
  assert.equal(r?.reading?.code, 'AL673');
});

test('the lit lattice makes a code of the same characters where the plain one does not: the lit view wins', async () => {
  const plain = read8L673({ '8': 0.9, A: 0.05 }, { L: 0.6, '1': 0.35 }, 0.915);
  const lit = read8L673({ '8': 0.58, A: 0.35 }, { L: 0.94, '1': 0.04 }, 0.902);
  const { line, read: r } = await litRetried(plain, lit);
  assert.equal(line.view, 'lit');
  assert.equal(r?.reading?.code, 'AL673');
});
