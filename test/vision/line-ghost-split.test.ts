// A cell dimmer than its line, whose ghost segments rise above half of its own lit level, is judged by the line's
// split between ghost and lit light (line-ghost-split.ts). The crop is a line box as the reader cuts it (a quality-90
// JPEG, 9 KB): scripts/gen-panels-drawn.ts seed 251 frame 112 (helper ghost52's set), the code E437 on a red LED
// seven-segment display with ghost segments under a glare spot and in the dark. Its last cell came out dimmer than the
// others, its ghost bars at 0.58 to 0.61 of its own level (the line's other ghosts at 0.3): every segment read lit,
// the cell an 8, and the recogniser's E439 was reported.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { judgeByLineSplit, lineSplit } from '../../src/vision/ocr/line-ghost-split.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import type { SegmentCell } from '../../src/vision/ocr/segment-cell.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { cellLikelihoods } from '../../src/vision/ocr/segment16.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/code-e437-glared-ghosts.jpg');

const cell = (peak: number, lit: SegmentCell['lit']): SegmentCell => ({ x0: 0, x1: 10, lit: { ...lit }, peak, spaceBefore: false });

describe('the line split of a segment line with ghost segments', { timeout: 180_000 }, () => {
  const r = realReader();

  test('reads a dim cell\'s ghosts unlit, and only in a dim cell that reads as all lit', () => {
    // An E, a 4 and a 3 at full light, their ghosts at 0.3; a 7 dimmer than them, its ghosts at 0.6 of its own level.
    const line = () => [
      cell(0.7, { a: 1, b: 0.3, c: 0.27, d: 0.96, e: 0.81, f: 0.87, g: 0.85 }),
      cell(0.67, { a: 0.3, b: 1, c: 0.91, d: 0.25, e: 0.27, f: 1, g: 0.95 }),
      cell(0.67, { a: 1, b: 1, c: 0.89, d: 0.99, e: 0.31, f: 0.36, g: 0.84 }),
      cell(0.55, { a: 0.97, b: 0.83, c: 0.97, d: 0.56, e: 0.59, f: 1, g: 0.67 }),
    ];
    const cells = line();
    const split = lineSplit(cells, 7)!;
    assert.ok(split > 0.35 && split < 0.5, String(split));
    assert.equal(judgeByLineSplit(cells, 7), 1);
    const seven = cells[3]!.lit;
    assert.ok(seven.d! < 0.2 && seven.e! < 0.2 && seven.g! <= 0.15 + 1e-9, JSON.stringify(seven));
    assert.ok(seven.b! > 0.84 && seven.a! > 0.9, JSON.stringify(seven));
    assert.deepEqual(cells.slice(0, 3), line().slice(0, 3), 'the bright cells keep their light');
    // The same dim cell with a position its own split reads dark (an A whose middle bar glare dimmed): left as it is.
    const a = line();
    a[3] = cell(0.55, { a: 0.92, b: 1, c: 0.79, d: 0.39, e: 0.87, f: 1, g: 0.59 });
    assert.equal(judgeByLineSplit(a, 7), 0);
    // A dim 8 whose one position under the gap is a dimmer middle bar (a split bar's half): an 8 still, not a 0.
    const eight = line();
    eight[3] = cell(0.55, { a: 0.93, b: 0.94, c: 0.93, d: 1, e: 1, f: 0.93, g: 0.55 });
    assert.equal(judgeByLineSplit(eight, 7), 0);
    // A line whose unlit segments do not show (no ghost group): nothing to split by.
    const dark = [0.7, 0.68, 0.7, 0.55].map((p) => cell(p, { a: 1, b: 0.05, c: 0.04, d: 0.95, e: 0.9, f: 0.93, g: 0.9 }));
    assert.equal(lineSplit(dark, 7), null);
  });

  test('lets the cells read E437 where the dim 7 read 8 and the recogniser E439', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const line = readSegmentCells(crop)!;
    const best = line.cells.map((c) => [...cellLikelihoods(c, line.segments)].sort((x, y) => y[1] - x[1])[0]!);
    assert.deepEqual(best.map(([ch]) => ch), ['E', '4', '3', '7']); // the 7 an 8 at 0.17 before
    assert.ok(best[3]![1] > 0.5, JSON.stringify(best));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text, 'E439', 'the recogniser reads the 7 as a 9');
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.text, 'E437', JSON.stringify(read));
  });
});
