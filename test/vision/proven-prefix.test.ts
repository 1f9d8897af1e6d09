// A bare number's code letter found on the crop widened to its left, shown by its segment cell (proven-prefix.ts).
// E19 on a hexagonal-segment VFD with ghost segments and a glare spot over its E (scripts/gen-panels-drawn.ts, seed
// 256, frame 60) was boxed over 19 alone, the E set apart by an unlit place: a bare number, no alarm. The box-end
// re-read widens such a number's box to the left (box-ends.ts), and the crop there, saved here as the reader cuts
// it, reads 689, the E taken for a 6; the segment cells read E19, at a confidence (0.70) under what the recogniser
// alone must reach to give a bare number letters (0.8), and the wider reading was refused. The E's cell shows an E
// on its own light (its lower right upright dark, the 1 and 9 beside it lighting theirs), so it is taken. Frame 269 of
// the same set, the status RPM 1870 on a sixteen-segment LED, shows why only seven-segment cells are judged so: there
// the widened crop cut RPM's M, its cell sampled as an H (the recogniser read M), and the status read H 1870.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { takesWider } from '../../src/vision/ocr/box-ends.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { cellsProveLetters } from '../../src/vision/ocr/proven-prefix.js';
import { readSegmentCells, type SegmentCell, type SegmentLine } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const fixture = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('a bare number\'s letter its widened crop\'s cell shows', { timeout: 120_000 }, () => {
  const r = realReader();
  test('E19 with its E under a glare spot, boxed over 19: the widened crop\'s E cell proves the code', async () => {
    const crop = frameToRgb(await decodeImageFile(fixture('e19-glare-spot-prefix-widened-read-689.jpg')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), '689', 'the recogniser takes the E for a 6');
    const g = new LineGrammar();
    const after = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
    assert.equal(after.reading?.kind, 'alarm');
    assert.equal(after.text, 'E19');
    assert.ok(after.confidence < 0.8, `${after.confidence}: under what the recogniser alone must reach`);
    assert.equal(cellsProveLetters(after.reading, readSegmentCells(crop), after.segment), true);
    const before = { text: '19', confidence: 0.71, segment: 0.5, reading: g.classifyText('19', 0.71) };
    const e = { left: true, right: false, prefix: true };
    const greedy = { before: '89', after: '689' };
    assert.equal(takesWider(before, after, e, greedy), false, 'the recogniser alone is not sure enough');
    assert.equal(takesWider(before, after, { ...e, cells: true }, greedy), true, 'the cells prove the letter');
  });
});

const cell = (on: string, lit = 0.95, dark = 0.05): SegmentCell => ({ x0: 0, x1: 10, spaceBefore: false,
  lit: Object.fromEntries([...'abcdefg'].map((s) => [s, on.includes(s) ? lit : dark])) });
const line = (...cells: SegmentCell[]): SegmentLine => ({ cells, segments: 7 } as unknown as SegmentLine);

test('only a letter each cell shows on its own light, never a digit\'s cell, proves a code\'s letters', () => {
  const g = new LineGrammar();
  const code = g.classifyText('E19', 0.7);
  assert.equal(code.kind, 'alarm');
  // E (a 6 without its lower right upright), 1, 9: the 1 and 9 light the lower right position the E leaves dark.
  assert.equal(cellsProveLetters(code, line(cell('adefg'), cell('bc'), cell('abcdfg')), 1), true);
  // The first cell a 6 (its lower right upright lit): a digit's cell, no letter.
  assert.equal(cellsProveLetters(code, line(cell('acdefg'), cell('bc'), cell('abcdfg')), 1), false);
  // Its lower right upright half lit, not dark against the cell's weakest lit segment: not clear.
  const dim = cell('adefg'); dim.lit.c = 0.5;
  assert.equal(cellsProveLetters(code, line(dim, cell('bc'), cell('abcdfg')), 1), false);
  // Not a segment display, or the cells not one for one under the reading.
  assert.equal(cellsProveLetters(code, line(cell('adefg'), cell('bc'), cell('abcdfg')), 0.1), false);
  assert.equal(cellsProveLetters(code, line(cell('adefg'), cell('abcdfg')), 1), false);
  // The recogniser read another letter there (an M of a status word cut by the widened crop, sampled as an H).
  assert.equal(cellsProveLetters({ ...code, raw: 'M19' }, line(cell('adefg'), cell('bc'), cell('abcdfg')), 1), false);
  assert.equal(cellsProveLetters({ ...code, raw: '619' }, line(cell('adefg'), cell('bc'), cell('abcdfg')), 1), true);
  // A fourteen- or sixteen-segment line: its inner strokes, not judged here, tell letters apart.
  assert.equal(cellsProveLetters(code, { ...line(cell('adefg'), cell('bc'), cell('abcdfg')), segments: 14 } as SegmentLine, 1), false);
  // A status is never a code's letters.
  assert.equal(cellsProveLetters(g.classifyText('619', 0.9), line(cell('acdefg'), cell('bc'), cell('abcdfg')), 1), false);
});
