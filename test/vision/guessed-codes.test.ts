// One character wrong where the two readers disagree (issue #11, line-arbitration.ts and segment-confusion.ts).
// - Cells that spell a code as they are speak for a line whose recogniser code exists only because the grammar changed
//   two or more of the characters it read: ghost (unlit) segments read lit make a row of 8s that the grammar can
//   still bend into some code (88888988 made A88 89 for ERR 19).
// - A lower-case e read on a seven-segment display is its own glyph (a 2 with its upper left upright lit), not the
//   capital E, whose nearest digit is 6: C-e1 is C-21, not C-61.
// Crops are display lines of this branch's own drawn set i11t (scripts/gen-panels-drawn.ts, seed 7311) as the reader
// cuts them: frame 55 (ERR 19, red seven-segment LED with ghost segments) and frame 25 (C-21, white LED, glare streak).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { guessedReading, interpretLine, recogniserStands, segmentsSpeak } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { confusionsInto } from '../../src/vision/ocr/segment-confusion.js';
import { latticeOf, type LatticeStep } from '../helpers/lattice.js';
import { realReader, recogniseCrops } from '../helpers/real-readers.js';

const crop = (name: string): string => join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures/segment-crops', name);

describe('one character wrong between the readers', { timeout: 180_000 }, () => {
  const r = realReader();
  const read = async (name: string, grammar = new LineGrammar()) => {
    const img = frameToRgb(await decodeImageFile(crop(name)));
    const [rec] = await recogniseCrops(r.reader, [img]);
    return interpretLine(img, rec!, r.reader.dictionary, { grammar });
  };

  test('ghost eights bent into a code by the grammar lose to cells that read ERR 19 as it is', async () => {
    const line = await read('err19-ghost-eights-red-led.png');
    assert.equal(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.text, 'ERR 19', JSON.stringify(line));
    assert.equal(line.cells, 'ERR 19');
  });

  test('a lower-case e read where a 2 is drawn: C-21', async () => {
    const line = await read('c21-lower-e-white-led.png');
    assert.equal(line.text, 'C-21', JSON.stringify(line));
    // The grammar changed a character: the code stays less sure than one read as it is.
    assert.ok(line.confidence < 0.77 && (line.reading?.constraintCost ?? 0) > 0, JSON.stringify(line));
  });
});

test('a code is the grammar\'s guess only when it changed two or more characters and the cells read theirs as it is', () => {
  const g = new LineGrammar();
  const cells = g.classifyText('ERR 19', 0.76);
  const guessed = { kind: 'alarm' as const, text: 'a88 89', raw: '88888988', code: 'A8889', confidence: 0.71, constraintCost: 1.38, changed: 4 };
  assert.equal(guessedReading(guessed, cells), true);
  // One character changed (E read as 6 made E): a reading, not a guess.
  assert.equal(guessedReading({ ...guessed, changed: 1 }, cells), false);
  // Cells the grammar had to change are no better.
  assert.equal(guessedReading(guessed, { ...cells, constraintCost: 0.5, changed: 1 }), false);
  const seg = { fit: 0.3, gaps: 1, unexplained: 0, hidden: 0, text: 'ERR 19', segments: 7 as const };
  assert.equal(segmentsSpeak(seg, 7, cells, guessed, 0.97), true);
  assert.equal(segmentsSpeak(seg, 7, cells, { ...guessed, changed: 1 }, 0.97), false);
});

test('a lower-case e stands for 2 and E before 6, a lower-case b for 6 before 8; the capitals keep theirs', () => {
  const w = (shown: string, read: string): number => confusionsInto(shown).find(([x]) => x === read)?.[1] ?? 0;
  assert.ok(w('2', 'e') > w('6', 'e'), `2 ${w('2', 'e')} 6 ${w('6', 'e')}`);
  assert.ok(w('6', 'E') > w('2', 'E'));
  assert.ok(w('6', 'b') > w('8', 'b'), `6 ${w('6', 'b')} 8 ${w('8', 'b')}`);
  assert.ok(w('8', 'B') > w('6', 'B'));
});

test('Err b5 read on a seven-segment display, under a catalog: ERR 65, changed, less sure than read as it is', () => {
  const keys = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz- '];
  const dict = CharacterDictionary.fromKeys(keys, keys.length + 2);
  // Err b5 as the recogniser read it on the display-enhanced view (frame 98 of the i11t set), each character sure.
  const steps: LatticeStep[] = [{ E: 0.97 }, {}, { r: 0.97 }, {}, { r: 0.97 }, { ' ': 0.9 }, { b: 0.95, '6': 0.02, '8': 0.01 }, {}, { 5: 0.98 }];
  const g = new LineGrammar({ alarmPatterns: ['/ERR[- ]?\\d{2,3}/', '/E\\d{2,3}/'] });
  const r = g.readLine(latticeOf(dict, steps), dict, { text: 'Err b5', confidence: 0.97 }, { confusion: 0.3, segment: 1 });
  assert.equal(r.kind, 'alarm', JSON.stringify(r));
  assert.equal(r.code, 'ERR 65', JSON.stringify(r));
  assert.ok(r.confidence < 0.97 && (r.changed ?? 0) >= 1, JSON.stringify(r));
});

test('a status the grammar made by changing two characters, less sure than the cells\' code, does not keep the line from them', () => {
  const g = new LineGrammar({ alarmPatterns: ['/FLT \\d{2}/', '/F-?\\d{2,3}/'] });
  const cells = g.classifyText('FLT 57', 0.86);
  const seg = { fit: 0.65, gaps: 1, unexplained: 0, hidden: 0, text: 'FLT 57', segments: 7 as const };
  // FLE851 bent into the status FEED 51 (two characters changed, at a cost near the grammar's limit).
  const guessed = { ...g.classifyText('FEED 51', 0.34), raw: 'FLE851', constraintCost: 5.91, changed: 2 };
  assert.equal(guessed.kind, 'status');
  assert.equal(segmentsSpeak(seg, 6, cells, guessed, 0.76), true);
  // A status read as it is, or one changed in a single character, still keeps the line (LOAD 60% is no code L083).
  assert.equal(segmentsSpeak(seg, 6, cells, { ...guessed, changed: 1 }, 0.76), false);
  assert.equal(segmentsSpeak(seg, 6, cells, { ...guessed, constraintCost: 0, changed: 0, confidence: 0.95 }, 0.95), false);
  // ...as does a guessed status surer than the cells' code.
  assert.equal(segmentsSpeak(seg, 6, cells, { ...guessed, confidence: 0.9 }, 0.9), false);
});

test('cells the grammar changed into another glyph do not overrule a fairly sure code by the segments they found dark', () => {
  const g = new LineGrammar({ alarmPatterns: ['/F-?\\d{2,3}/', '/C-\\d{2}/'] });
  const byRecogniser = g.classifyText('f-70', 0.915);
  // The cells read I-10 (the 7's top bar lost under a glare streak); the catalog made the I an F, drawn otherwise.
  const misread = { ...g.classifyText('F-10', 0.35), raw: 'I-10', constraintCost: 4.59, changed: 1 };
  assert.equal(recogniserStands(byRecogniser, misread, 0.915, 7), true);
  // Cells the grammar took as they are, or changed only between glyphs drawn alike, still tell the ghost 7 of a 1.
  assert.equal(recogniserStands(byRecogniser, g.classifyText('F-10', 0.8), 0.915, 7), false);
  assert.equal(recogniserStands(byRecogniser, { ...g.classifyText('F-10', 0.8), raw: 'F-1O', constraintCost: 0.3, changed: 1 }, 0.915, 7), false);
});
