// A code's letter read as a digit (or as another letter) where the segment cell under it shows the letter clearly
// (prefix-letter.ts). The crop is the display line of a drawn panel of the helper's own set (drawn77, seed 7711,
// frame 32: A04 on a bevelled seven-segment LCD, tilted, JPEG) as the reader cuts it: the recogniser reads 804 (8
// first, R and A behind); its cells were judged fourteen-segment with one cell unexplained, and did not speak for it
// (they do now that a heavy upright's ink at a diagonal's place is no diagonal, and read A04 too). The first cell lights a b c e f g with its bottom bar dark: no digit is drawn so. Digits drawn on a
// DSEG7 display stay a bare number (every digit's cell fits a digit). A word is no code either: READY on a white LED
// with ghost segments and a glare spot (the lead's dev set, drawn seed 183, frame 47), the box leaving its r out, is
// read 8889; its first cell is an E, but the cells after it show A, d, y, and an A where the code would have a digit
// means the letters go on: the line is no code (it was reported as the alarm E889).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb, type RgbImage } from '../../src/vision/image.js';
import { interpretLine, type Recognised } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { cellLetter } from '../../src/vision/ocr/cell-letters.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';
import { dsegLabel } from '../helpers/dseg-label.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops');
const file = join(fixtures, 'a04-bevel-lcd-read-804.png');

describe('a code letter read as a digit', { timeout: 120_000 }, () => {
  const r = realReader();
  const recognise = (c: RgbImage): Promise<Recognised[]> => recogniseCrops(r.reader, [c]);

  test('A04 read 804 on a seven-segment LCD: the first cell is an A, the line the code A04', async () => {
    const crop = frameToRgb(await decodeImageFile(file));
    const [rec] = await recognise(crop);
    assert.equal(rec!.greedy.text.trim(), '804', 'the recogniser reads the A as an 8');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/A\\d{2}/'] })]) {
      const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
      assert.equal(line.text, 'A04');
      // Its cells, once its heavy uprights no longer light the diagonals' regions (segment-sampling.ts
      // uprightsReachIn), spell A04 themselves; where they do not, the prefix letter reads it, less sure than the
      // recogniser was of its own reading.
      assert.ok(line.cells === 'A04' || line.confidence < rec!.greedy.confidence, JSON.stringify(line));
    }
  });

  test('READY read 8889: an E in the first cell and an A where the code would have a digit make no code', async () => {
    const crop = frameToRgb(await decodeImageFile(join(fixtures, 'ready-ghost-led-read-8889.png')));
    const [rec] = await recognise(crop);
    assert.equal(rec!.greedy.text.trim(), '8889', 'the recogniser reads the letters as digits');
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/E\\d{2,3}/', '/A\\d{2}/'] })]) {
      const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
      assert.notEqual(line.reading?.kind, 'alarm', JSON.stringify(line));
    }
  });

  test('digits on a segment display stay a bare number', async () => {
    for (const text of ['804', '8045', '6.25']) {
      const crop = dsegLabel(text);
      const [rec] = await recognise(crop);
      const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: new LineGrammar() });
      assert.notEqual(line.reading?.kind, 'alarm', `${text}: ${JSON.stringify(line)}`);
    }
  });
});

test('a cell names a letter only when it splits clearly into that letter\'s lit and dark segments', () => {
  const cell = (on: string, lit = 0.9, dark = 0.1, extra: Record<string, number> = {}): { lit: Record<string, number> } =>
    ({ lit: { ...Object.fromEntries([...'abcdefg'].map((s) => [s, on.includes(s) ? lit : dark])), ...extra } });
  assert.equal(cellLetter(cell('abcefg')), 'A');
  assert.equal(cellLetter(cell('aefg')), 'F');
  assert.equal(cellLetter(cell('adefg')), 'E');
  assert.equal(cellLetter(cell('bcefg')), 'H');
  assert.equal(cellLetter(cell('defg')), 'T');
  // Digits are no letters.
  for (const d of ['abcdefg', 'abcdfg', 'acdefg', 'abc', 'abcdef']) assert.equal(cellLetter(cell(d)), null, d);
  // A bottom bar half as lit as the cell's weakest lit segment is no clear dark one (a blurred 8 or an A).
  assert.equal(cellLetter(cell('abcefg', 0.8, 0.1, { d: 0.42 })), null);
  // Dark segments are judged against the same cell's lit ones: a faint cell's ghost bar is still dark beside it.
  assert.equal(cellLetter(cell('abcefg', 0.65, 0.1, { d: 0.2 })), 'A');
  // A position glare left unjudged: no letter.
  assert.equal(cellLetter(cell('abcefg', 0.9, 0.1, { d: NaN })), null);
  // A fourteen-segment cell: a P with a lit diagonal is an R (READY read as the code P6831), unlit inner positions
  // leave the P, an inner position glare left unjudged names nothing.
  assert.equal(cellLetter(cell('abefg', 0.9, 0.1, { h: 0.1, i: 0.1, j: 0.1, k: 0.1, l: 0.85, m: 0.1 }), true), null);
  assert.equal(cellLetter(cell('abefg', 0.9, 0.1, { h: 0.1, i: 0.1, j: 0.1, k: 0.1, l: 0.1, m: 0.1 }), true), 'P');
  assert.equal(cellLetter(cell('abefg', 0.9, 0.1, { l: NaN }), true), null);
  // Glow at the inner positions of a letter no fourteen-segment glyph extends (A) does not matter.
  assert.equal(cellLetter(cell('abcefg', 0.9, 0.1, { h: 0.41, i: 0.24, j: 0.57, k: 0.65, m: 0.26 }), true), 'A');
  // On a seven-segment line nothing is drawn at the inner positions: what is sampled there does not count.
  assert.equal(cellLetter(cell('abefg', 0.9, 0.1, { l: 0.85 })), 'P');

});

test('a fourteen-segment middle bar drawn in two halves is lit where both halves are, though its centre is dim', () => {
  const cell = (on: string, extra: Record<string, number>): { lit: Record<string, number> } =>
    ({ lit: { ...Object.fromEntries([...'abcdefg'].map((s) => [s, on.includes(s) ? 0.9 : 0.1])), h: 0.1, i: 0.1, j: 0.1, k: 0.1, l: 0.1, m: 0.1, ...extra } });
  // An A whose middle samples 0.50 at the gap between its halves, both halves lit (AL314 read 823 14): an A.
  assert.equal(cellLetter(cell('abcefg', { g: 0.5, g1: 0.85, g2: 0.8 }), true), 'A');
  assert.equal(cellLetter(cell('aefg', { g: 0.5, g1: 0.85, g2: 0.8 }), true), 'F');
  // One half lit only is no whole middle bar (a C with light at one end of the middle): nothing clear.
  assert.equal(cellLetter(cell('abcefg', { g: 0.5, g1: 0.85, g2: 0.1 }), true), null);
  // A dark centre is not raised past half again its own light: halves lit beside a dark centre are the uprights' glow.
  assert.equal(cellLetter(cell('abcdef', { g: 0.15, g1: 0.7, g2: 0.7 }), true), null);
  assert.equal(cellLetter(cell('abcef', { g: 0.15, g1: 0.7, g2: 0.7 }), true), null);
});
