// A code letter the recogniser read that the segments of its cell contradict (prefix-letter.ts: prefixLetterCode on a
// code's own letters, ghostLetter). Drawn cells for the rule, one real crop for its proof: d199x frame 171 of this
// branch's set (scripts/gen-panels-drawn.ts, seed 199), E092 on a red LED with ghost segments and over-exposure, its box
// cutting the top bar off every cell, read E092 by the recogniser while its first cell samples as a seven-segment t.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import type { Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { cellLetter, ghostLetter } from '../../src/vision/ocr/cell-letters.js';
import { prefixLetterCode } from '../../src/vision/ocr/prefix-letter.js';
import type { SegmentCell, SegmentLine } from '../../src/vision/ocr/segment-cells.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const W = 160, H = 40, STEPS = 24;

/** A cell at place i of a four-cell line: the positions in `on` at `lit`, the others at `dark` (or as given). */
const cell = (i: number, on: string, lit = 0.95, dark = 0.05, levels: Record<string, number> = {}): SegmentCell => ({
  x0: i * 40 + 4, x1: i * 40 + 36, spaceBefore: false,
  lit: { ...Object.fromEntries([...'abcdefg'].map((s) => [s, on.includes(s) ? lit : dark])), ...levels } });
const dash = (i: number): SegmentCell => ({ x0: i * 40 + 4, x1: i * 40 + 36, spaceBefore: false, lit: {}, shape: '-' });
const line = (first: SegmentCell, nine = 'abcdfg'): SegmentLine => ({ cells: [first, dash(1), cell(2, nine), cell(3, nine)], segments: 7, shear: 0, top: 0, bottom: H });

/** The recogniser's lattice of E-99 (crop W×H): E over the first cell, with `runnerUp` of C beside it. */
function readE99(runnerUp: number): Lattice {
  const probs = new Float32Array(STEPS * dict.size);
  for (let t = 0; t < STEPS; t++) probs[t * dict.size] = 1;
  const put = (t: number, c: string, p: number): void => {
    probs[t * dict.size] = 1 - p - (c === 'E' ? runnerUp : 0);
    probs[t * dict.size + dict.indexOf(c)] = p;
    if (c === 'E') probs[t * dict.size + dict.indexOf('C')] = runnerUp;
  };
  put(2, 'E', 0.9); put(8, '-', 0.9); put(14, '9', 0.9); put(20, '9', 0.9);
  return { probs, offset: 0, steps: STEPS, classes: dict.size };
}

describe('a code letter its segment cell contradicts', () => {
  const grammar = new LineGrammar();
  const read = grammar.classifyText('E-99', 0.95);
  test('the reading is the code E-99', () => assert.equal(read.kind, 'alarm'));

  test('a cell clearly showing C, its middle bar proven dark by the 9s, makes E-99 the code C-99, less sure', () => {
    const out = prefixLetterCode(read, line(cell(0, 'adef')), readE99(0.05), dict, grammar, W, H, 0.8);
    assert.equal(out?.text, 'C-99');
    assert.equal(out?.kind, 'alarm');
    assert.ok(out!.confidence < read.confidence && out!.confidence > 0.5, `${out?.confidence}`);
  });

  test('not where the recogniser gave no C there at all (a cell sampled off its glyph)', () => {
    assert.equal(prefixLetterCode(read, line(cell(0, 'adef')), readE99(0), dict, grammar, W, H, 0.8), null);
  });

  test('not where no other cell lights a middle bar (a box or sampling that loses it everywhere)', () => {
    assert.equal(prefixLetterCode(read, line(cell(0, 'adef'), 'abcdf'), readE99(0.05), dict, grammar, W, H, 0.8), null);
  });

  test('not on a crop that does not look like a segment display', () => {
    assert.equal(prefixLetterCode(read, line(cell(0, 'adef')), readE99(0.05), dict, grammar, W, H, 0.1), null);
  });

  test('a C whose unlit segments glow (ghosts) puts the code in doubt: reported as none, not as E-99', () => {
    const ghost = cell(0, 'adef', 0.92, 0.4, { g: 0.45 });
    assert.equal(cellLetter(ghost), null, 'too bright a middle bar for the clear rule');
    assert.equal(ghostLetter(ghost), 'C');
    const out = prefixLetterCode(read, line(ghost), readE99(0.05), dict, grammar, W, H, 0.8);
    assert.equal(out?.text, 'E-99');
    assert.ok(out!.confidence < 0.5, `${out?.confidence}`);
  });

  test('a cell that is the E it was read as is left alone', () => {
    assert.equal(prefixLetterCode(read, line(cell(0, 'adefg')), readE99(0.05), dict, grammar, W, H, 0.8), null);
  });

  test('ghostLetter names a letter only at one clear step in the light', () => {
    assert.equal(ghostLetter(cell(0, 'adefg', 0.9, 0.35)), 'E');
    // Two steps (a middle bar half lit between lit bars and dark uprights): no letter.
    assert.equal(ghostLetter(cell(0, 'adef', 0.92, 0.1, { g: 0.5 })), null);
    // A digit's pattern (6) is no letter.
    assert.equal(ghostLetter(cell(0, 'acdefg', 0.9, 0.4)), null);
    // Too faint a lit side.
    assert.equal(ghostLetter(cell(0, 'adef', 0.5, 0.1)), null);
  });

  test('a status never: RUN 1450 is not looked at', () => {
    const run = grammar.classifyText('RUN 1450', 0.95);
    assert.notEqual(run.kind, 'alarm');
    const cells: SegmentLine = { cells: [...'RUN1450'].map((_, i) => cell(i, 'adef')), segments: 7, shear: 0, top: 0, bottom: H };
    assert.equal(prefixLetterCode(run, cells, readE99(0.05), dict, grammar, W, H, 0.8), null);
  });
});

const fixture = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a real crop whose first cell speaks against the letter read', { timeout: 120_000 }, () => {
  const r = realReader();
  test('E092 with its top bars cut off by the box: its first cell samples as a t, the line does not prove it, the E stands', async () => {
    const crop = frameToRgb(await decodeImageFile(fixture('e092-top-cut-read-right-cell-t.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), 'E092');
    const cells = readSegmentCells(crop)!;
    assert.equal(cellLetter(cells.cells[0]!, cells.segments !== 7), 'T', 'the cell alone speaks against the E');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/[A-Z]\\d{3}/'] })]) {
      const out = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(out.reading?.kind, 'alarm');
      assert.equal(out.text, 'E092');
      assert.ok(out.confidence >= 0.5);
    }
  });
});
