// On dark strokes (an LCD) the inner positions of a cell count as lit as they are, so that a printed curve speaks
// against seven segments. A seven-segment LCD whose strokes are heavy for its narrow cells lights the diagonals'
// sampled regions with its uprights alone: every A, 0, E and r then had "diagonals" no seven-segment glyph has, the
// cells went unexplained and the recogniser's misreading of the line stood (AL3010 read 81 38 18, ERR 43 read
// 882843). There the inner positions are judged by how their stroke stands apart from the bars, as on an emitting
// display (segment-cells.ts). The crops are lines kept from geometry-drawn frames (scripts/gen-panels-drawn.ts,
// helper sets drawn114 frame 41: AL3010 on a clean grey-green LCD; drawn116 frame 85: ERR 43 on a grey-green LCD with
// ghost segments, tilt, glare spot, perspective, dark, blur). Print keeps its arms and legs: a bold printed legend's
// K and R, their diagonals beside no lit upright, still fit no seven-segment glyph (drawn114 frame 7, KEEP CLEAR was
// read REEP CLEAA by its cells when every inner position was judged so).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { readSegmentCells } from '../../src/vision/ocr/segment-cells.js';
import { segmentReading } from '../../src/vision/ocr/segment-lattice.js';
import { silentLattice } from '../helpers/lattice.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. '];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
const crop = async (name: string) => frameToRgb(await decodeImageFile(join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name)));

for (const [name, text] of [['al3010-heavy-lcd.png', 'AL3010'], ['err43-heavy-ghost-lcd.png', 'ERR 43']] as const) {
  test(`a heavy seven-segment LCD's cells are explained by their glyphs (${text})`, async () => {
    const img = await crop(name);
    const line = readSegmentCells(img);
    assert.ok(line);
    assert.equal(line.segments, 7);
    const seg = segmentReading(line, silentLattice(dict, 40), dict, img.width, img.height)!;
    assert.equal(seg.unexplained, 0, `cells ${seg.text}`);
    assert.equal(seg.text.toUpperCase(), text);
    assert.ok(seg.fit >= 0.35, `fit ${seg.fit}`);
  });
}

test('a bold printed legend\'s diagonals still speak against seven segments', async () => {
  const img = await crop('keep-clear-printed-dark.png');
  const line = readSegmentCells(img);
  assert.ok(line);
  const seg = segmentReading(line, silentLattice(dict, 40), dict, img.width, img.height)!;
  assert.ok(seg.unexplained >= 1, `cells ${seg.text} all explained`);
});
