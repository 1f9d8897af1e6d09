// An unlit display place at a segment line's end is no character the segment cells missed (unlit-ends.ts). The crop
// is a line box as the reader cuts it: scripts/gen-panels-drawn.ts seed 225 frame 216 (helper ghost48's set), the
// status 3682 on a red fourteen-segment LED with five places, the leading one dark with its ghost segments faintly
// lit. The recogniser reads 8.8682 (the dark place an 8, the 3 an 8 with its ghosts), which the grammar bends into the
// code A-8682; the cells read 3682 and, counting one character fewer than the recogniser, were overruled.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { ghostEnds } from '../../src/vision/ocr/ghost-characters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { ghostsPastCells } from '../../src/vision/ocr/unlit-ends.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const CROP = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops/status-3682-unlit-leading-place-read-8.png');

describe('an unlit place before a segment line\'s first cell', { timeout: 180_000 }, () => {
  const r = realReader();

  test('is a ghost past the cells, and the line is the status 3682, no code', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const cells = readSegmentCells(crop)!;
    // The cells see only the four lit places: the unlit one before them makes no cell.
    assert.equal(cells.cells.filter((c) => c.shape !== '.').length, 4, JSON.stringify(cells.cells.map((c) => [c.x0, c.x1, c.shape])));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.replace(/[^\p{L}\p{N}]/gu, '').length, 5, `the recogniser reads the dark place: ${rec!.greedy.text}`);
    const ends = ghostEnds(crop, rec!.lattice, r.reader.dictionary);
    assert.equal(ends?.lead, 1, JSON.stringify(ends));
    assert.equal(ghostsPastCells(ends, cells, crop.width, crop.height, rec!.lattice.steps), 1);
    const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.notEqual(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text, '3682', JSON.stringify(line));
  });

  test('a ghost end over the cells is not past them', async () => {
    const crop = frameToRgb(await decodeImageFile(CROP));
    const cells = readSegmentCells(crop)!;
    // A leading ghost whose own characters begin only at the last step lies over the cells, not before them.
    const steps = 40;
    assert.equal(ghostsPastCells({ lead: 1, trail: 0, from: steps - 1, to: steps }, cells, crop.width, crop.height, steps), 0);
    assert.equal(ghostsPastCells(null, cells, crop.width, crop.height, steps), 0);
  });
});
