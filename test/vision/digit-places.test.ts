// A code the segment cells spell where the recogniser read a letter unlike one of its digits is no code
// (digit-places.ts): a cable's hook and upright beside a READY display read L1 by the cells and "1m" by the recogniser
// (scripts/gen-panels-drawn.ts seed 49, frame 91): the two readers put the letter and the digit in opposite places.
// Letters a display draws like the digit, a code letter the recogniser read as a letter, or cells that did not decide
// the reading, leave the code standing.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cellsCodeOnWord, cellsDigitReadAsOtherLetter } from '../../src/vision/ocr/digit-places.js';

describe('a cells code whose letter and digits the recogniser read the other way round', () => {
  test('an m where the cells read a 1 is another thing seen', () => {
    assert.equal(cellsDigitReadAsOtherLetter('L1', '1m', 'L1'), true);
  });

  test('look-alike letters, digits read as digits, and readings the cells did not make stand', () => {
    assert.equal(cellsDigitReadAsOtherLetter('E513', 'ES13', 'E513'), false, 'a 5 and an S are drawn alike');
    assert.equal(cellsDigitReadAsOtherLetter('F05', 'FOS', 'F05'), false);
    assert.equal(cellsDigitReadAsOtherLetter('F512', '65 12', 'F512'), false, 'a letter read as a digit');
    assert.equal(cellsDigitReadAsOtherLetter('L1', '1m', undefined), false, 'no cells');
    assert.equal(cellsDigitReadAsOtherLetter('L1', '1m', 'L7'), false, 'the cells spelled another code');
    assert.equal(cellsDigitReadAsOtherLetter('AL12', 'AL1', 'AL12'), false, 'another length: nothing to compare in place');
    // The recogniser read the code's letter as a letter: a digit missed for an unlike letter alone is no swap
    // (F259 on a sixteen-segment LED read Fa59, gen-panels-drawn seed 57 frame 38).
    assert.equal(cellsDigitReadAsOtherLetter('F259', 'Fa59', 'F259'), false);
    assert.equal(cellsDigitReadAsOtherLetter('E14', '6m4', 'E14'), true, 'an E read as its look-alike 6, the 1 as an m');
  });
});

describe('a cells code where the recogniser read a longer word', () => {
  test('a label read A8 by the cells and AIR by the recogniser is no code', () => {
    assert.equal(cellsCodeOnWord('A8', 'AIR', 'A8'), true);
  });

  test('a sign read HOT, its cells HO3, is no code H03: a T is nothing like a 3', () => {
    assert.equal(cellsCodeOnWord('H03', 'HOT', 'HO3'), true);
    assert.equal(cellsCodeOnWord('F05', 'FOS', 'FOS'), false, 'O and S are look-alikes of 0 and 5: a code');
    assert.equal(cellsCodeOnWord('E81', '深闲闲', 'E8I'), false, 'glyphs of no Latin word (a ghost-lit LCD read as CJK): the cells\' code stands');
    assert.equal(cellsCodeOnWord('ERR 21', 'ERRNE出器', 'ERR 21'), false, 'Latin letters run on into CJK glyphs: no longer word either');
    assert.equal(cellsCodeOnWord('ERR 21', 'ERRNEXT', 'ERR 21'), true, 'a longer Latin word stands');
  });

  test('digits, look-alike letters in the code\'s places, no reading at all, or cells that did not decide leave the code', () => {
    assert.equal(cellsCodeOnWord('F05', 'FOS', 'F05'), false, 'as many characters as the code');
    assert.equal(cellsCodeOnWord('ALM 54', 'ALMSA', 'ALM 54'), false);
    assert.equal(cellsCodeOnWord('E14', 'E1A4', 'E14'), false, 'a digit read');
    assert.equal(cellsCodeOnWord('ERR-761', 'ERROOGO', 'ERR-761', 0.68), false, 'the code\'s letters, then a round letter per cell, the dash too: the display read over its ghosts');
    assert.equal(cellsCodeOnWord('E-16', 'EXIT', 'E-16', 0.95), true, 'a printed word: X is no ghost ring, nor drawn like a dash');
    assert.equal(cellsCodeOnWord('ERR-761', 'ERRORGO', 'ERR-761', 0.95), true, 'an R where a digit stands: a word');
    assert.equal(cellsCodeOnWord('ALM 54', '', 'ALM 54'), false);
    assert.equal(cellsCodeOnWord('A8', 'AIR', undefined), false, 'no cells');
  });

  test('a hooked 7 the recogniser read as an N is drawn like one: the code stands', () => {
    // A seven-segment font's capital N is an arch (a b c e f), a hooked 7 (a b c f) and one upright more.
    assert.equal(cellsCodeOnWord('A70', 'ANO', 'A7O'), false);
    assert.equal(cellsCodeOnWord('A87', 'AOn', 'A87'), false);
    assert.equal(cellsCodeOnWord('H03', 'HOT', 'HO3'), true, 'a T is still nothing like a 3');
  });

  test('a T is like a 1 only by a fourteen-segment centre upright: on seven segments HOT read HO1 is the word', () => {
    assert.equal(cellsCodeOnWord('H01', 'HOT', 'HO1', 0.96, 7), true);
    assert.equal(cellsCodeOnWord('H01', 'HOT', 'HO1', 0.96, 14), false, 'fourteen segments draw a T\'s stem where a 1 may stand');
    assert.equal(cellsCodeOnWord('H01', 'HOT', 'HO1', 0.96), false, 'the display unknown');
    assert.equal(cellsCodeOnWord('H01', 'HOI', 'HO1', 0.96, 7), false, 'an I is a seven-segment 1');
  });

  test('a one-digit code drawn as the very letters the recogniser surely read is a label: HO, HI, LO', () => {
    assert.equal(cellsCodeOnWord('H0', 'HO', 'H0', 0.98), true);
    assert.equal(cellsCodeOnWord('H1', 'HI', 'H1', 0.97), true);
    assert.equal(cellsCodeOnWord('L0', 'LO', 'L0', 0.99), true);
    assert.equal(cellsCodeOnWord('H0', 'HO', 'H0', 0.9), false, 'a word read less surely: the cells\' code stands');
    assert.equal(cellsCodeOnWord('F00', 'FOO', 'F00', 0.99), false, 'two digits: a display\'s code (F00 on a fourteen-segment LCD read FOO)');
    assert.equal(cellsCodeOnWord('E6', 'EG', 'E6', 0.99), false, 'a G is drawn like a 6 but not as one');
  });
});

/** What the analyzer (no catalog) makes of a frame fixture under test/fixtures/frames. */
async function analyzeFixture(name: string): Promise<{ alarmCodes: string[]; text: string[] }> {
  const { join } = await import('node:path');
  const { VisionAnalyzer } = await import('../../src/vision/analyzer.js');
  const { decodeImageFile } = await import('../../src/vision/image.js');
  const analyzer = await VisionAnalyzer.create({ ocr: { enabled: true, minConfidence: 0.5, reuseUnchanged: false } });
  try {
    return await analyzer.analyze(await decodeImageFile(join(import.meta.dirname, '..', 'fixtures', 'frames', name)));
  } finally {
    await analyzer.close();
  }
}

describe('A87 on a fourteen-segment LCD, its 7 read as an n', { timeout: 180_000 }, () => {
  // scripts/gen-panels.ts seed 289, frame 87 (inverted LCD in DSEG14 Modern Light, glare): the recogniser read AOn, the
  // segment cells A87, and the code was refused as a word's letters.
  test('reports the alarm A87', async () => {
    const r = await analyzeFixture('panels-fourteen-segment-a87-seven-read-n.jpg');
    assert.deepEqual(r.alarmCodes, ['A87']);
  });
});

describe('a READY frame with a cable beside the display', { timeout: 180_000 }, () => {
  test('reports no alarm: the cable read L1 by the cells and 1m by the recogniser is no code', async () => {
    const r = await analyzeFixture('drawn-seven-segment-ready-cable-read-l1.jpg');
    assert.deepEqual(r.alarmCodes, []);
    assert.ok(r.text.includes('READY'), r.text.join(' | '));
  });
});
