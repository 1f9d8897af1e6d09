// A code's letter read as a digit where the recogniser saw no letter at all (prefix-letter.ts, lineShowsDark): the
// cell under the digit shows a letter clearly, and the line's other cells show lit the positions the letter leaves
// dark, so no box or sampling lost them. Crops are display lines of this branch's own set i11ad drawnA
// (scripts/gen-panels-drawn.ts, seed 91173) as the reader cuts them: frame 47, A58 on a slanted rectangular-segment
// grey-green LCD, read 858 (8 at 1.00, no letter among its runners-up); frame 76, C-33 on a hexagonal-segment LCD with
// ghost segments, read 8833 (its dash a lone middle bar).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { VisionAnalyzer } from '../../src/vision/analyzer.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { cellDash, lineShowsDark } from '../../src/vision/ocr/cell-letters.js';
import { overruledConfidence } from '../../src/vision/ocr/prefix-letter.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixture = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a code letter read as a digit the recogniser saw no letter in', { timeout: 120_000 }, () => {
  const r = realReader();
  for (const [name, read, code, pattern] of [['a58-slanted-lcd-read-858.png', '858', 'A58', '/A\\d{2}/'], ['c33-hex-lcd-read-8833.png', '8833', 'C-33', '/C-\\d{2}/']] as const) {
    test(`${code} read ${read}: the first cell is a letter, the line the code`, async () => {
      const crop = frameToRgb(await decodeImageFile(fixture(name)));
      const [rec] = await recogniseCrops(r.reader, [crop]);
      assert.equal(rec!.greedy.text.trim(), read, 'the recogniser reads the letter as a digit');
      for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: [pattern] })]) {
        const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
        assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
        assert.equal(line.text, code);
        // Since heavy LCD uprights no longer light the diagonals' regions (segment-sampling.ts uprightsReachIn), the
        // line's cells may spell the code themselves and speak with their own surety.
        if (line.cells === code) continue;
        assert.ok(line.confidence <= rec!.greedy.confidence, 'no surer than the recogniser was of its own reading');
        // The cell alone overruled the recogniser: the code is reported, but halfway between acceptance and that surety.
        assert.ok(line.confidence > 0.5 && line.confidence <= 0.5 + (rec!.greedy.confidence - 0.5) / 2 + 1e-9, `${line.confidence}`);
      }
    });
  }
});

const cell = (on: string, lit = 0.95, dark = 0.05): SegmentCell => ({ x0: 0, x1: 10, spaceBefore: false,
  lit: Object.fromEntries([...'abcdefg'].map((s) => [s, on.includes(s) ? lit : dark])) });

test('a letter\'s dark positions count only where the line\'s other cells show them lit', () => {
  // An A beside a 5 and an 8 that light the bottom bar: an A.
  assert.equal(lineShowsDark([cell('abcefg'), cell('acdfg'), cell('abcdefg')], 0, 'A'), true);
  // Beside cells whose bottom bars are dark too (a box cutting the bottom bar off every cell): it may be an 8.
  assert.equal(lineShowsDark([cell('abcefg'), cell('abcfg'), cell('abc')], 0, 'A'), false);
  // An H lights neither top nor bottom bar: one of them lit elsewhere leaves no digit it could be (an 8 needs both).
  assert.equal(lineShowsDark([cell('bcefg'), cell('bcfg'), cell('abc')], 0, 'H'), true);
  assert.equal(lineShowsDark([cell('bcefg'), cell('bcfg'), cell('bc')], 0, 'H'), false);
  // An F whose bottom bar no other cell shows lit (a 2 and a 9 with theirs dark: the box cuts them) may be an E.
  assert.equal(lineShowsDark([cell('aefg'), cell('abeg'), cell('abcfg')], 0, 'F'), false);
  assert.equal(lineShowsDark([cell('aefg'), cell('abdeg'), cell('abcfg')], 0, 'F'), true);
  // A faint letter (its weakest lit segment below a clear level) is not judged.
  assert.equal(lineShowsDark([cell('abcefg', 0.5), cell('acdfg'), cell('abcdefg')], 0, 'A'), false);
});

test('a code whose letter a cell alone named keeps half of its surety above acceptance', () => {
  assert.equal(overruledConfidence(0.998, true), 0.749);
  assert.equal(overruledConfidence(0.998, false), 0.998);
  // Accepted stays accepted, rejected stays rejected.
  assert.ok(overruledConfidence(0.52, true) > 0.5);
  assert.equal(overruledConfidence(0.45, true), 0.45);
});

test('a dash cell is a middle bar alone', () => {
  assert.equal(cellDash(cell('g')), true);
  assert.equal(cellDash(cell('dg')), false);
  assert.equal(cellDash(cell('g', 0.4)), false);
  assert.equal(cellDash({ x0: 0, x1: 4, spaceBefore: false, lit: {}, shape: '-' }), true);
});

test('the third letter of a prefix read as a digit after two letters: FLT 39 read FL639, its t taken for a 6', async () => {
  const { prefixLetterCode } = await import('../../src/vision/ocr/prefix-letter.js');
  // A lattice over a 100x32 crop in which the recogniser gave the letter T a little probability everywhere.
  const chars = ['', 'T', '6', 'F', 'L', 'A', '3', '9'];
  const steps = 19, classes = chars.length;
  const probs = new Float32Array(steps * classes).fill(0.001);
  for (let t = 0; t < steps; t++) probs[t * classes + 1] = 0.02;
  const lattice = { probs, offset: 0, steps, classes };
  const dict = { chars } as unknown as Parameters<typeof prefixLetterCode>[3];
  const at = (c: SegmentCell, k: number, space = false): SegmentCell => ({ ...c, x0: 4 + 18 * k, x1: 18 + 18 * k, spaceBefore: space });
  const line = (first: string, third: string) => ({ segments: 7 as const, shear: 0, top: 2, bottom: 30,
    cells: [at(cell(first), 0), at(cell('def'), 1), at(cell(third), 2), at(cell('abcdg'), 3, true), at(cell('abcdfg'), 4)] });
  const g = new LineGrammar();
  const made = prefixLetterCode(g.classifyText('FL639', 0.9), line('aefg', 'defg'), lattice, dict, g, 100, 32, 1);
  assert.equal(made?.kind, 'alarm');
  assert.equal(made?.text, 'FLT39');
  // A cell there that shows a letter no usual prefix ends with (AL639, its 6 with the lower right upright lost: E)
  // makes no code.
  assert.equal(prefixLetterCode(g.classifyText('AL639', 0.9), line('abcefg', 'adefg'), lattice, dict, g, 100, 32, 1), null);
});

// A fourteen-segment LED, dark and blurred under a glare streak, whose crop does not look like a segment display at
// all (segmentLikelihood 0): its A, sampled as seven segments, shows an H clearly, but that is no evidence against the
// recogniser, which read 80992 with no letter at the first cell. Development set drawn1 (scripts/gen-panels-drawn.ts)
// frame 171: AL992 (the frame reports no code rather than the wrong code H0992).
test('a cell alone names no letter on a crop that does not look like a segment display', { timeout: 120_000 }, async () => {
  const plain = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  try {
    const frame = await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/frames/drawn-fourteen-segment-al992-dark-blur.jpg'));
    assert.deepEqual((await plain.analyze(frame)).alarmCodes.filter((c) => c !== 'AL992'), []);
  } finally {
    await plain.close();
  }
});

test('an A30 whose top bar the box lost is not proven an H through the lower-case h', () => {
  // Every top bar lost: the A shows bcefg, the 3 bcdg, the 0 bcdef. The other cells light b and d, never a, so the A
  // (bcefg with a lit) is not ruled out; the h pattern (cefg) is not what the cell shows (b lit) and proves nothing.
  assert.equal(lineShowsDark([cell('bcefg'), cell('bcdg'), cell('bcdef')], 0, 'H'), false);
  // Where another cell shows the top bar lit, the dark top bar is the H's own.
  assert.equal(lineShowsDark([cell('bcefg'), cell('abcdg'), cell('bcdef')], 0, 'H'), true);
  // A cell showing the lower-case h (b dark) is still judged through that pattern.
  assert.equal(lineShowsDark([cell('cefg'), cell('abcdg'), cell('abcdef')], 0, 'H'), true);
});
