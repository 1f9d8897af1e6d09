// A blank cell between a code's parts on a sixteen-segment display (its unlit segments faintly drawn) read as a letter
// by the recogniser (blank-cell-letter.ts): ERR 50, the segment cells' ERR SO, the recogniser's ERROSO. The O on the
// blank cell is no letter of a word, and the code stands (digit-places.ts cellsCodeOnWord); a word the recogniser read
// where the cells saw no blank cell is still a word. The frame is scripts/gen-panels-drawn.ts seed 249 frame 94, cut
// down to the display and its surroundings (560x280 JPEG).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { withoutBlankCellLetters } from '../../src/vision/ocr/blank-cell-letter.js';
import { cellsCodeOnWord } from '../../src/vision/ocr/digit-places.js';
import { decodeImageFile } from '../../src/vision/image.js';
import { realReaders } from '../helpers/real-readers.js';

describe('a letter read on a blank cell', () => {
  test('is left out where the recogniser read one character per cell, the blank one included', () => {
    assert.equal(withoutBlankCellLetters('ERROSO', 'ERR SO'), 'ERRSO');
    assert.equal(withoutBlankCellLetters('ERRWZA', 'ERR 27'), 'ERRZA');
  });

  test('leaves the reading alone where the cells saw no blank cell or the readings do not line up', () => {
    assert.equal(withoutBlankCellLetters('AIR', 'A8'), 'AIR');
    assert.equal(withoutBlankCellLetters('ERRSO', 'ERR SO'), 'ERRSO', 'the recogniser read nothing on the blank cell');
    assert.equal(withoutBlankCellLetters('ERROSO', undefined), 'ERROSO');
  });

  test('makes no word of a code: ERR 50 read ERROSO stands, its S and O look-alikes of 5 and 0', () => {
    assert.equal(cellsCodeOnWord('ERR 50', 'ERROSO', 'ERR SO'), false);
  });

  test('still lets a word stand against a code', () => {
    assert.equal(cellsCodeOnWord('A8', 'AIR', 'A8'), true, 'no blank cell: a label read by the cells');
    assert.equal(cellsCodeOnWord('A8', 'AIR', 'A8', 0.97), true, 'a label the recogniser read surely');
    assert.equal(cellsCodeOnWord('ERR-703', 'BRRAAOB', 'ERR-703'), true, 'without its confidence, a longer word');
    assert.equal(cellsCodeOnWord('ERR-703', 'BRRAAOB', 'ERR-703', 0.5), false, 'letters read at even odds are no word');
    assert.equal(cellsCodeOnWord('ERR 27', 'ERRWZA', 'ERR 27'), true, 'the blank cell left out, an A is still nothing like a 7');
  });
});

describe('a sixteen-segment ERR 50 whose blank cell the recogniser read as O', { timeout: 180_000 }, () => {
  const r = realReaders();
  test('reports the code', async () => {
    const v = await r.analyzer.analyze(await decodeImageFile(join(import.meta.dirname, '..', 'fixtures', 'frames', 'drawn-sixteen-segment-err50-blank-cell-read-o.jpg')));
    assert.deepEqual(v.alarmCodes, ['ERR 50'], v.text.join(' | '));
  });
});
