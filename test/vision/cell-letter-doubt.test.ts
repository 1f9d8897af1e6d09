// A letter the segment cells read over another letter the recogniser read, where the cell does not show it
// (cell-letter-doubt.ts). The crop is the display line of a drawn panel (scripts/gen-panels-drawn.ts seed 221, frame
// 197: F-71 on an over-exposed, blurred red LED with ghost segments) as the reader's finer stroke search cut it: the
// recogniser reads `f-41`, the cells fit H-71 (the F's top bar at 0.28, its right uprights glowing at about 0.6) and
// the code was reported as H-71. The cell shows no H clearly, so the code is in doubt: no code rather than a wrong
// one. A clearly drawn code whose cells and recogniser agree is still read. Second crop: A51 on a sixteen-segment
// over-exposed LED with ghost segments (seed 221, frame 150), read `RS1` by the recogniser: its A shows no clear
// letter either, but R is no letter the cells judge (an R over a sixteen-segment A is the recogniser's usual misreading)
// and the cells' A51 stands. The crop is kept with its fractional levels
// (a 16-bit PPM): rounded to whole levels, the cells' shear changes and they read F-71.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { cellLetterInDoubt } from '../../src/vision/ocr/cell-letter-doubt.js';
import { cellLetter } from '../../src/vision/ocr/cell-letters.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';
import { dsegLabel } from '../helpers/dseg-label.js';
import { readPpm } from '../helpers/ppm.js';

const crops = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops');

describe('a letter the cells read over the recogniser\'s without showing it', { timeout: 120_000 }, () => {
  const r = realReader();

  test('F-71 whose F cell fits an H only by its best glyph is no code', async () => {
    const crop = readPpm(join(crops, 'f-71-overexposed-ghost-led-cells-h.ppm'));
    const line = readSegmentCells(crop);
    assert.ok(line && line.segments === 7, 'read as seven segments');
    const first = line.cells[0]!;
    assert.equal(cellLetter(first), null, 'the first cell shows no letter clearly');
    assert.ok(first.lit.a! < 0.35 && first.lit.b! > 0.5, 'its top bar dark, its upper right upright glowing: an H by its best glyph');
    const wider = { width: 200, height: crop.height, data: new Float32Array(200 * crop.height * 3).fill(20) };
    const [rec] = await recogniseCrops(r.reader, [crop, wider]);
    assert.match(rec!.greedy.text.trim(), /^f/i, 'the recogniser reads an f first');
    assert.ok(cellLetterInDoubt({ kind: 'alarm', text: 'H-71', raw: 'f-41', confidence: 0.8 }, rec!.greedy.text.trim(), line, 'H-71'));
    assert.ok(!cellLetterInDoubt({ kind: 'alarm', text: 'H-71', raw: 'f-41', confidence: 0.8 }, rec!.greedy.text.trim(), line, 'N-71'),
      'a letter the grammar put where the cells read another is not the cells\' letter');
    assert.ok(!cellLetterInDoubt({ kind: 'alarm', text: 'F-71', raw: 'f-41', confidence: 0.8 }, rec!.greedy.text.trim(), line, 'H-71'), 'the recogniser\'s own letter is not in doubt');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/[A-Z]-?\\d{2,3}/'] })]) {
      const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.ok(read.reading?.kind !== 'alarm' || read.confidence < 0.5 || !read.text.startsWith('H'), JSON.stringify(read));
    }
  });

  test('the cells\' A over the recogniser\'s R stands: A51 read RS1 on a sixteen-segment LED', async () => {
    const crop = readPpm(join(crops, 'a51-sixteen-overexposed-ghost-led-read-rs1.ppm'));
    const line = readSegmentCells(crop);
    assert.ok(line, 'read as segments');
    assert.ok(!cellLetterInDoubt({ kind: 'alarm', text: 'A51', raw: 'RS1', confidence: 0.7 }, 'RS1', line, 'A51'));
    assert.equal(cellLetter(line.cells[0]!, line.segments !== 7), null, 'the A shows no letter clearly');
    assert.ok(cellLetterInDoubt({ kind: 'alarm', text: 'A51', raw: 'ES1', confidence: 0.7 }, 'ES1', line, 'A51'), 'over an E, a letter the cells judge, it would be in doubt');
  });

  // The crop: held-back set drawn5 (scripts/gen-panels-drawn.ts) frame 41, FLT 69 on a yellow-green LCD under a glare
  // streak, JPEG. The cells read FLC 69, the recogniser FLE69; the grammar's T (the FLT prefix) is no letter of the cells.
  test('a prefix letter the grammar put over the cells\' own stands: FLT 69, cells FLC 69, recogniser FLE69', async () => {
    const crop = frameToRgb(await decodeImageFile(join(crops, 'flt-69-lcd-streak-cells-flc.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.cells?.replace(/\s/g, ''), 'FLC69', JSON.stringify(read));
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.equal(read.text.replace(/\s/g, ''), 'FLT69', JSON.stringify(read));
    assert.ok(read.confidence >= 0.5, JSON.stringify(read));
  });

  test('a clear F-71 on a seven-segment display is still the code', async () => {
    const crop = dsegLabel('F-71');
    const [rec] = await recogniseCrops(r.reader, [crop]);
    const read = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
    assert.equal(read.reading?.kind, 'alarm', JSON.stringify(read));
    assert.ok(read.confidence >= 0.5, JSON.stringify(read));
    assert.equal(read.reading?.code?.replace(/[\s-]/g, ''), 'F71');
  });
});
