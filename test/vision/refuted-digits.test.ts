// A bare number's digits that their own segment cells refute, where the line's lit strokes read a code (refuted-digits.ts).
// E536 on a grey LCD with ghost segments under a glare wash (scripts/gen-panels.ts, seed 271, frame 14): the wash
// dims the lower bars of the E and the 5, and the recogniser reads the plain crop 8586 (a status), the line's lit
// strokes E536 a hair less surely, so view-choice.ts kept 8586 and no alarm was reported. The E's cell shows both right
// uprights as dark as the line's unlit places while the 3 and the 6 beside it light them: an 8 needs them, so the cell
// is no 8. The crop is saved as the reader cuts it (a JPEG at quality 92; the recogniser reads it as it read the frame).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { cellRefutesDigit, cellsRefuteNumber } from '../../src/vision/ocr/refuted-digits.js';
import { readSegmentCells, type SegmentCell, type SegmentLine } from '../../src/vision/ocr/segment-cells.js';
import { litReplaces } from '../../src/vision/ocr/view-choice.js';
import { retryOnOtherViews } from '../../src/vision/ocr/view-retry.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixture = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a bare number whose cells refute its digits, read as a code on the lit strokes', { timeout: 120_000 }, () => {
  const r = realReader();
  test('E536 under a glare wash, read 8586: the E\'s cell shows the right uprights an 8 needs dark, the lit reading is taken', async () => {
    const crop = frameToRgb(await decodeImageFile(fixture('e536-glare-washed-lcd-read-8586-lit-e536.jpg')));
    const g = new LineGrammar();
    const [plain] = await recogniseCrops(r.reader, [crop]);
    assert.equal(plain!.greedy.text.trim(), '8586', 'the recogniser takes the washed E for an 8');
    const line = readSegmentCells(crop);
    assert.equal(line?.segments, 7);
    assert.equal(line?.cells.length, 4);
    // Through the real view retry: the lit strokes are read there, and their reading replaces the first.
    const again = [{ crop, first: plain!, view: 'original' as const, dotMatrix: false }];
    const seen: Array<{ text: string; confidence: number }> = [];
    const recognise = async (crops: typeof crop[]) => {
      const out = await recogniseCrops(r.reader, crops);
      seen.push(...out.map((o) => o.greedy));
      return out;
    };
    await retryOnOtherViews(again, { dict: r.reader.dictionary, grammar: g, retryBelow: 0.9, segmentCells: true, recognise,
      interpret: (_k, rec) => interpretLine(crop, rec, r.reader.dictionary, { grammar: g }) });
    const lit = seen.find((s) => s.text.trim() === 'E536');
    assert.ok(lit, `the lit strokes read E536 (read: ${seen.map((s) => s.text).join(', ')})`);
    assert.ok(lit.confidence < plain!.greedy.confidence, 'less surely than the plain crop');
    assert.equal(litReplaces(lit, plain!.greedy, g), false, 'by confidence alone the first reading stays');
    assert.equal(cellsRefuteNumber('8586', 'E536', lit.confidence, line, g), true);
    assert.equal(again[0]!.first.greedy.text.trim(), 'E536');
    assert.equal(again[0]!.view, 'lit');
    const read = interpretLine(crop, again[0]!.first, r.reader.dictionary, { grammar: g });
    assert.equal(read.reading?.kind, 'alarm');
    assert.equal(read.text, 'E536');
  });
});

const cell = (on: string, lit = 0.95, dark = 0.05): SegmentCell => ({ x0: 0, x1: 10, spaceBefore: false,
  lit: Object.fromEntries([...'abcdefg'].map((s) => [s, on.includes(s) ? lit : dark])) } as unknown as SegmentCell);
const line = (...cells: SegmentCell[]): SegmentLine => ({ cells, segments: 7 } as unknown as SegmentLine);

test('only a digit its cell shows lacking a segment it needs, lit elsewhere on the line, is refuted', () => {
  const g = new LineGrammar();
  const e = cell('adefg'), three = cell('abcdg'), six = cell('acdefg');
  // E, 3, 6 beside it: the 3 lights the right uprights the E leaves dark; an 8 needs them.
  assert.equal(cellRefutesDigit([e, three, six], 0, '8', 'E'), true);
  assert.equal(cellsRefuteNumber('836', 'E36', 0.9, line(e, three, six), g), true);
  // Every position the 8 needs lit: a status stays a status, however the other view reads it.
  assert.equal(cellsRefuteNumber('836', 'E36', 0.9, line(cell('abcdefg'), three, six), g), false);
  // The dark uprights are lit nowhere else on the line: the sampling may have missed them, nothing is proven.
  assert.equal(cellRefutesDigit([e, cell('adefg'), cell('adg')], 0, '8', 'E'), false);
  // The uprights only dimmed (half the lit level), not unlit.
  const dim = cell('adefg'); dim.lit.b = 0.45; dim.lit.c = 0.45;
  assert.equal(cellRefutesDigit([dim, three, six], 0, '8', 'E'), false);
  // The new character's own segments no brighter than the dark ones: it does not fit the cell either.
  const faint = cell('adefg', 0.15, 0.05); faint.lit.a = 0.95;
  assert.equal(cellRefutesDigit([faint, three, six], 0, '8', 'E'), false);
  // A place read alike by both views is not asked about; a place where they differ must be refuted.
  assert.equal(cellsRefuteNumber('836', 'E86', 0.9, line(e, three, six), g), false);
  // Not a code by the grammar, not one for one with the cells, not seven segments, or the other view unsure: no.
  assert.equal(cellsRefuteNumber('836', '636', 0.9, line(e, three, six), g), false);
  assert.equal(cellsRefuteNumber('836', 'E36', 0.9, line(e, three), g), false);
  assert.equal(cellsRefuteNumber('836', 'E36', 0.9, { ...line(e, three, six), segments: 14 } as SegmentLine, g), false);
  assert.equal(cellsRefuteNumber('836', 'E36', 0.4, line(e, three, six), g), false);
  // The first reading must be a bare number.
  assert.equal(cellsRefuteNumber('A36', 'E36', 0.9, line(e, three, six), g), false);
});
