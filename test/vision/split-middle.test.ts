// Middle bars drawn in two halves, read as seven segments (src/vision/ocr/split-middle.ts). A92 in DSEG14 Modern Mini
// Bold Italic on an LCD with ghost segments (scripts/gen-panels.ts seed 272, frame 18): the font draws each middle bar
// as two halves with a gap at the centre, every middle bar of the line samples under half lit, and the A, which an 8
// differs from by its bottom bar and the cells by little else, went to the recogniser's 8: the status 892 was read
// instead of the alarm. Judged against one another (the 9's middle bar, which it cannot lack, counts as lit), the
// middle bars read A92.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells, type SegmentLine } from '../../src/vision/ocr/segment-cells.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cell.js';
import { middleBar } from '../../src/vision/ocr/segment-glyphs.js';
import { fourBeside } from '../../src/vision/ocr/segment-lattice.js';
import { middleBarsOfLine } from '../../src/vision/ocr/split-middle.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/a92-fourteen-font-split-middle-bars.png');

/** A seven-segment cell lit at the given positions (1) and dark elsewhere (0.05), its middle bar's centre and halves as given. */
function cell(on: string, g: number, halves: number): SegmentCell {
  const lit: SegmentCell['lit'] = {};
  for (const s of 'abcdef') lit[s as 'a'] = on.includes(s) ? 1 : 0.05;
  return { x0: 0, x1: 10, lit: { ...lit, g, g1: halves, g2: halves } } as unknown as SegmentCell;
}
const line = (cells: SegmentCell[]): SegmentLine => ({ cells, segments: 7, shear: 0, top: 0, bottom: 20 });

describe('middle bars drawn in two halves', { timeout: 120_000 }, () => {
  test('judged against one another only where none is clearly lit and some glyph needs one', () => {
    // An E (adef + middle), a 5 (acdf + middle) and a 9 (abcdf + middle), every middle bar dim at its centre.
    const dim = line([cell('adef', 0.29, 0.5), cell('acdf', 0.3, 0.5), cell('abcdf', 0.35, 0.58)]);
    const judged = middleBarsOfLine(dim);
    assert.notEqual(judged, dim);
    const mids = judged.cells.map((c) => middleBar(c.lit));
    assert.ok(mids.every((m) => m >= 0.7), `every middle bar counts as lit: ${mids.map((m) => m.toFixed(2))}`);
    // One middle bar clearly lit: the line's bars are not scaled (a dim one is dark). This one is drawn whole, so the
    // dim one is judged at its centre (hooked-seven.test.ts); a lit bar whose halves are no brighter stays as it is.
    const lit = line([cell('adef', 0.1, 0.15), cell('acdf', 0.95, 0.95)]);
    assert.deepEqual(middleBarsOfLine(lit).cells.map((c) => middleBar(c.lit)), [0.1, 0.95]);
    const alike = line([cell('adef', 0.1, 0.1), cell('acdf', 0.95, 0.95)]);
    assert.equal(middleBarsOfLine(alike), alike);
    // A C beside a 0 and a 7 (no glyph that must have a middle bar): nothing to judge the bars against.
    const none = line([cell('adef', 0.3, 0.45), cell('abcdef', 0.3, 0.4), cell('abc', 0.25, 0.4)]);
    assert.equal(middleBarsOfLine(none), none);
    // Letters alone do not ask: a fourteen-segment R read as seven segments fits a P (ERR-177 beside two 7s).
    const letters = line([cell('adef', 0.28, 0.35), cell('abef', 0.27, 0.4), cell('abef', 0.33, 0.46), cell('abcf', 0, 0.24)]);
    assert.equal(middleBarsOfLine(letters), letters);
    // A C's dark middle stays dark beside a 5 whose bar is dim.
    const c = middleBarsOfLine(line([cell('adef', 0.05, 0.08), cell('acdf', 0.4, 0.55)]));
    assert.ok(middleBar(c.cells[0]!.lit) < 0.3, `the C's middle: ${middleBar(c.cells[0]!.lit).toFixed(2)}`);
  });

  test("a narrow upright's side samples are scaled with the line: the left piece of a 4 drawn apart counts", () => {
    // E, 9, an upright whose cell a whole cell wide holds a 4's upper left upright and the middle bar's left half, dim
    // as the line's other middle bars (E945 read E915), and a 5.
    const side = (g1: number): SegmentCell['beside'] => ({ a: 0.05, b: 0.9, c: 0.9, d: 0.05, e: 0.05, f: 0.8, g: 0.6 * g1, g1, g2: 0.6 * g1 });
    const upright = (g1: number): SegmentCell => ({ x0: 0, x1: 4, lit: { b: 1, c: 1 }, shape: '1', beside: side(0.2), cellWide: side(g1) }) as unknown as SegmentCell;
    const four = line([cell('adef', 0.3, 0.45), cell('abcdf', 0.35, 0.5), upright(0.48), cell('acdf', 0.33, 0.5)]);
    assert.equal(fourBeside(four.cells[2]!.cellWide), false, 'as sampled, the half bar is under half lit');
    const judged = middleBarsOfLine(four).cells[2]!;
    assert.ok(fourBeside(judged.cellWide), `scaled with the line: ${JSON.stringify(judged.cellWide)}`);
    assert.equal(judged.lit.b, 1, 'the upright itself is left as it was');
    // A 1 whose side is dark there stays a 1 on the same line.
    const one = middleBarsOfLine(line([cell('adef', 0.3, 0.45), cell('abcdf', 0.35, 0.5), upright(0.06)])).cells[2]!;
    assert.equal(fourBeside(one.cellWide), false);
  });

  const r = realReader();
  test('A92 in a fourteen-segment font is read A92, not the status 892', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const cells = readSegmentCells(crop)!;
    assert.equal(cells.segments, 7);
    assert.ok(cells.cells.every((c) => c.shape || middleBar(c.lit) < 0.6), 'no middle bar samples clearly lit');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.reading?.code, 'A92');
  });
});
