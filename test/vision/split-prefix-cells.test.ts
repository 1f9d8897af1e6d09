// A code's letters boxed apart from its number, joined by what clear segment cells spell (line-arbitration.ts
// cellLetters, split-lines.ts). A fourteen-segment A whose upper left corner is drawn round is read R by the
// recogniser: RLM, which the grammar makes the status REM at about 0.5, spells no code with the number beside it,
// and the number alone is a status value: the alarm was lost. The cells light ALM. Fixtures from this branch's own
// drawn set (scripts/gen-panels-drawn.ts, seed 174): frame 120, ALM 44 on an inverted LCD with two blank cells
// between the parts (the ALM line crop as the reader cuts it); frame 161, ALM 81 on a tilted, over-exposed blue LED
// (the whole 1024x576 frame, its 81 found only by a further look).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { decodeImageFile, frameToRgb } from '../../src/vision/image.js';
import { interpretLine } from '../../src/vision/ocr/line-arbitration.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { cellsNameOtherLetter, joinSplitLines, type SplitLine } from '../../src/vision/ocr/split-lines.js';
import { realReader, realReaders, recogniseCrops } from '../helpers/real-readers.js';

const fixtures = join(fileURLToPath(new URL('.', import.meta.url)), '../fixtures');
const g = new LineGrammar();
const part = (text: string, x: number, extra: Partial<SplitLine> = {}): SplitLine => ({ text, confidence: 0.95, box: { x, y: 100, width: 90, height: 40 }, ...extra });

test('letters the cells spell join a number only as a code, at the cells\' confidence', () => {
  const rem = part('REM', 100, { raw: 'RLM', confidence: 0.49 });
  // Without the cells: REM 44 and RLM 44 are no code, the parts stay apart.
  assert.deepEqual(joinSplitLines([rem, part('44', 200)], g).map((l) => l.text), ['REM', '44']);
  const joined = joinSplitLines([{ ...rem, cellLetters: { text: 'ALM', confidence: 0.98 } }, part('44', 200)], g);
  assert.deepEqual(joined.map((l) => l.text), ['ALM 44']);
  assert.equal(joined[0]!.reading?.kind, 'alarm');
  assert.ok(joined[0]!.confidence >= 0.5, 'read at the cells\' confidence, not the unsure word\'s');
  assert.equal(joined[0]!.cellLetters, undefined, 'the joined line no longer a letters-only part');
  // The line's own letters come first: a status name read beside its value stays that status, whatever its cells spell.
  const rpm = joinSplitLines([part('RPM', 100, { cellLetters: { text: 'RPH', confidence: 0.9 } }), part('1450', 200)], g);
  assert.deepEqual(rpm.map((l) => [l.text, l.reading?.kind]), [['RPM 1450', 'status']]);
});

test('the cells name letters for a join only where they differ from the recogniser\'s word in one letter', () => {
  assert.equal(cellsNameOtherLetter('ALM', 'RLM'), true);
  assert.equal(cellsNameOtherLetter('ALM', 'ALM'), false, 'the same word: nothing the text spellings lack');
  assert.equal(cellsNameOtherLetter('FLT', 'RPM'), false, 'another word: the cells as likely wrong');
  assert.equal(cellsNameOtherLetter('F', 'P'), false, 'a single letter tells a prefix from a unit too little');
  assert.equal(cellsNameOtherLetter('AL', 'RL8'), false, 'another count of characters');
});

describe('a fourteen-segment A read R, through the real models', { timeout: 300_000 }, () => {
  const r = realReader();
  const real = realReaders();
  test('alm-inverted-lcd-read-rlm.png: the recogniser reads RLM, the cells ALM', async () => {
    const crop = frameToRgb(await decodeImageFile(join(fixtures, 'segment-crops/alm-inverted-lcd-read-rlm.png')));
    const [rec] = await recogniseCrops(r.reader, [crop]);
    assert.equal(rec!.greedy.text.trim(), 'RLM');
    const line = interpretLine(crop, rec!, r.reader.dictionary, { grammar: g });
    assert.notEqual(line.reading?.kind, 'alarm', JSON.stringify(line));
    assert.equal(line.cellLetters?.text, 'ALM', JSON.stringify(line));
    const joined = joinSplitLines([part(line.text, 100, line), part('44', 200, { confidence: 0.98 })], g);
    assert.deepEqual(joined.map((l) => [l.text, l.reading?.kind]), [['ALM 44', 'alarm']]);
    assert.ok(joined[0]!.confidence >= 0.5, `${joined[0]!.confidence}`);
  });
  test('drawn-fourteen-segment-alm81-a-read-r.jpg: the frame reports ALM 81', async () => {
    const v = await real.analyzer.analyze(await decodeImageFile(join(fixtures, 'frames/drawn-fourteen-segment-alm81-a-read-r.jpg')));
    assert.deepEqual(v.alarmCodes, ['ALM 81'], JSON.stringify(v.detail.ocr));
  });
});
