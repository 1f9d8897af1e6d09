// Status lines are never alarms: clocks, percentages and values with units are
// statuses by themselves (line-grammar.ts), and the segment reader's cells do
// not turn what the recogniser read as such a status into an alarm code
// (line-arbitration.ts). A bare number whose first digit the recogniser gave a
// letter real probability is the code (802 → A02). Hand-made readings and
// lattices; no model needed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { letterFollows, valueFollows } from '../../src/vision/alarm-codes.js';
import { segmentsSpeak } from '../../src/vision/ocr/line-arbitration.js';
import type { Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { LineGrammar, markedValue, statusByItself } from '../../src/vision/ocr/line-grammar.js';
import { lettersInDigitRun } from '../../src/vision/ocr/reading-edits.js';
import { latticeOf, type LatticeStep } from '../helpers/lattice.js';

const plain = new LineGrammar();
const catalog = new LineGrammar({ alarmPatterns: ['/E-\\d{3}/', '/C-?\\d{2,3}/', '/P-?\\d{2,4}/', '/L\\d{2,3}/'] });

describe('status grammar: clocks, percentages, values with units', () => {
  test('a clock or a duration is a status value, never a code', () => {
    for (const g of [plain, catalog]) {
      for (const text of ['04:43', '12:05:30', '9:07']) {
        const r = g.classifyText(text);
        assert.equal(r.kind, 'status', `${text}: ${JSON.stringify(r)}`);
        assert.equal(r.value, text);
        assert.equal(g.alarmCode(text), null);
      }
      assert.deepEqual([g.classifyText('TIME 04:43').name, g.classifyText('TIME 04:43').value], ['TIME', '04:43']);
    }
  });

  test('a value with a unit or a clock colon is a status by itself; a bare number is not', () => {
    assert.equal(markedValue('60%'), true);
    assert.equal(markedValue('72C'), true);
    assert.equal(markedValue('7.8BAR'), true);
    assert.equal(markedValue('04:43'), true);
    assert.equal(markedValue('1450'), false);
    // A colon before minutes no clock shows (60 to 99) is no clock's mark: C-90 read 0:90 on a dim LCD.
    assert.equal(markedValue('0:90'), false);
    assert.equal(markedValue('0:9 0'), false, 'a space between the minutes\' digits changes nothing');
    assert.equal(markedValue('23:59'), true);
    assert.equal(markedValue('12:05:30'), true);
    assert.equal(markedValue('0.8'), false);
    assert.equal(markedValue('AUTO'), false);
    assert.equal(statusByItself(plain.classifyText('60%')), true);
    assert.equal(statusByItself(plain.classifyText('PRES 0.8')), true, 'a named status');
    assert.equal(statusByItself(plain.classifyText('1450')), false, 'a bare number may be a misread code');
    assert.equal(statusByItself(plain.classifyText('E-317')), false);
    // A mark the constraint made is none: 688.713 decoded as 688.71S (3 read as S, a unit) is no status by itself.
    assert.equal(statusByItself({ kind: 'status', name: '', value: '688.71S', raw: '688.713' }), false);
    assert.equal(statusByItself({ kind: 'status', name: '', value: '60%', raw: '60%' }), true);
  });
});

describe('the segment cells do not turn a status into an alarm', () => {
  // A clear cell reading: every glyph fits, no cell lost.
  const clearCells = (text: string) => ({ fit: 0.6, gaps: 0, text, unexplained: 0 });
  // A less clear one (glare, ghost segments).
  const weakCells = (text: string) => ({ fit: 0.25, gaps: 0, text, unexplained: 0 });

  test('LOAD 60%, PRES 0.8 and the clock 04:43 read by the recogniser stay statuses, with or without a catalog', () => {
    for (const g of [plain, catalog]) {
      const cases: Array<[string, string, number]> = [['LOAD 60%', 'L083', 0.8], ['PRES 0.8', 'P-5508', 0.9], ['04:43', 'C443', 0.85], ['60%', 'L60', 0.7]];
      for (const [recognised, cells, conf] of cases) {
        const byRecogniser = g.classifyText(recognised, conf);
        const bySegments = g.classifyText(cells, 0.8);
        if (bySegments.kind !== 'alarm') continue; // this grammar does not take the cells as a code: nothing to refuse
        for (const seg of [clearCells(cells), weakCells(cells)]) {
          assert.equal(segmentsSpeak(seg, recognised.replace(/[^\p{L}\p{N}]/gu, '').length, bySegments, byRecogniser, conf), false,
            `${recognised} must not become ${cells} (${g.usesCatalog ? 'catalog' : 'no catalog'}, fit ${seg.fit})`);
        }
      }
    }
  });

  test('the cells still speak where the recogniser read a bare number or a misread code', () => {
    // E read as 6: a bare number is no status by itself.
    assert.equal(segmentsSpeak(clearCells('E41'), 3, plain.classifyText('E41', 0.8), plain.classifyText('641', 0.99), 0.99), true);
    assert.equal(segmentsSpeak(weakCells('E-317'), 4, plain.classifyText('E-317', 0.8), plain.classifyText('6-317', 0.9), 0.9), true);
  });
});

describe('a code\'s letter read as a digit', () => {
  const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:%'];
  const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
  const lattice = (steps: LatticeStep[]): Lattice => latticeOf(dict, steps);
  const clear = (text: string): Array<Record<string, number>> => [...text].flatMap((ch) => [{ [ch]: 0.98 }, {}]);
  const read = (g: LineGrammar, l: Lattice, text: string) => g.readLine(l, dict, { text, confidence: 0.9 }, { confusion: 0.04, segment: 0 });

  test('802 with A second-best in the recogniser\'s lattice is the code A02, with or without a catalog', () => {
    const l = lattice([{ '8': 0.7, A: 0.25 }, {}, ...clear('02')]);
    for (const g of [new LineGrammar(), new LineGrammar({ alarmPatterns: ['/A\\d{2}/', '/E\\d{2,3}/'] })]) {
      const r = read(g, l, '802');
      assert.equal(r.kind, 'alarm', JSON.stringify(r));
      assert.equal(r.code, 'A02');
      assert.equal(r.raw, '802', 'the unconstrained reading is kept');
      assert.ok(r.constraintCost! > 0.5, 'and what the letter cost');
    }
  });

  test('a run of 8s is the cells of a display with ghost segments: a letter half seen in one makes no code (READY read 88889 is no P8889)', () => {
    const g = new LineGrammar();
    for (const number of ['88889', '8888', '98888']) {
      const l = lattice([{ [number[0]!]: 0.7, P: 0.25 }, {}, ...clear(number.slice(1))]);
      const r = read(g, l, number);
      assert.notEqual(r.kind, 'alarm', `${number} → ${JSON.stringify(r)}`);
    }
    // Fewer 8s, or a short number: the letter still makes the code.
    for (const [number, code] of [['8289', 'P289'], ['888', 'P88']]) {
      const r = read(g, lattice([{ '8': 0.7, P: 0.25 }, {}, ...clear(number.slice(1))]), number);
      assert.equal(r.code, code, `${number} → ${JSON.stringify(r)}`);
    }
  });

  test('a clock needs a colon the recogniser read: a dash is not turned into one (C-00 read 2-00 is not the time 2:00)', () => {
    const l = lattice([...clear('2'), { '-': 0.9, ':': 0.05 }, {}, ...clear('00')]);
    const r = new LineGrammar().readLine(l, dict, { text: '2-00', confidence: 0.9 }, { confusion: 0.3, segment: 1 });
    assert.notEqual(r.value, '2:00', JSON.stringify(r));
    const clock = new LineGrammar().readLine(lattice(clear('04:43')), dict, { text: '04:43', confidence: 0.98 }, { confusion: 0.3, segment: 1 });
    assert.deepEqual([clock.kind, clock.value], ['status', '04:43']);
  });

  test('a bare number whose first digit has no real letter probability stays a status value', () => {
    for (const [steps, text] of [[[{ '8': 0.97, A: 0.01 }, {}, ...clear('02')], '802'], [[{ '4': 0.99, H: 0.005 }, {}, ...clear('02')], '402'],
      [clear('5442'), '5442']] as Array<[Array<Record<string, number>>, string]>) {
      const r = read(new LineGrammar(), lattice(steps), text);
      assert.equal(r.kind, 'status', `${text}: ${JSON.stringify(r)}`);
      assert.equal(r.value, text);
    }
    // Nor does a letter in the middle of the number make it a code (the prefix comes first).
    const r = read(new LineGrammar(), lattice([...clear('8'), { '0': 0.7, A: 0.25 }, {}, ...clear('2')]), '802');
    assert.equal(r.kind, 'status', JSON.stringify(r));
  });
});

test('a code-like name with a value after it in a free-text line is a misread status, not a code (LOAD 60% read L083 604)', () => {
  assert.equal(valueFollows('L083 604', 'L083'), true);
  assert.equal(valueFollows('ALARM E-042 OVERLOAD', 'E-042'), false);
  assert.equal(valueFollows('ERR 81', 'ERR 81'), false);
  assert.equal(valueFollows('E - 317', 'E-317'), false);
  assert.equal(valueFollows('E-317 12', 'E-317'), true);
});

test('a code-like start of a name run together with its digits, a value after it, is no code (LOAD 82% read L08R 828)', () => {
  assert.equal(letterFollows('L08R 828', 'L08'), true);
  assert.equal(letterFollows('ALARM E-042 OVERLOAD', 'E-042'), false, 'a word after a space');
  assert.equal(letterFollows('E-042', 'E-042'), false);
  assert.equal(letterFollows('F - 12 HOT', 'F-12'), false);
  assert.equal(letterFollows('E861LOCKOUT', 'E861'), false, 'a word alone after it: a code run on to a label');
});

describe('without a catalog, a digits-only reading becomes a code only where the recogniser gave its letter some probability', () => {
  const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.: '];
  const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
  // 868 39 read off an unclear display (a word, or a value split from its name): 8 has next to no letter probability.
  const steps: LatticeStep[] = [{ '8': 0.95, A: 0.02 }, {}, { '6': 0.96 }, {}, { '8': 0.96 }, {}, { ' ': 0.9 }, {}, { '3': 0.96 }, {}, { '9': 0.96 }, {}];
  const read = (g: LineGrammar, segment: number) =>
    g.readLine(latticeOf(dict, steps), dict, { text: '868 39', confidence: 0.9 }, { confusion: 0.04 + 0.26 * segment, segment });

  test('a display that only looks partly segmented: the bare number stays no alarm', () => {
    const r = read(new LineGrammar(), 0.62);
    assert.notEqual(r.kind, 'alarm', JSON.stringify(r));
  });

  test('a clearly segmented display: the confusion model alone lends no letter (8 is one segment from A, two from E and F)', () => {
    const r = read(new LineGrammar(), 1);
    assert.notEqual(r.kind, 'alarm', JSON.stringify(r));
  });

  test('a clearly segmented display: 8 for A where the recogniser itself half saw the A, and the code is read', () => {
    const l = latticeOf(dict, [{ '8': 0.8, A: 0.15 }, {}, { '6': 0.96 }, {}, { '8': 0.96 }, {}, { ' ': 0.9 }, {}, { '3': 0.96 }, {}, { '9': 0.96 }, {}]);
    const r = new LineGrammar().readLine(l, dict, { text: '868 39', confidence: 0.9 }, { confusion: 0.3, segment: 1 });
    assert.equal(r.kind, 'alarm', JSON.stringify(r));
    assert.match(r.code!, /^A/);
  });

  test('2-09 on a seven-segment LCD (a lower-case c read as 2, nothing for a letter in the lattice) is no code E-09', () => {
    // A frame of a generated set: the cells did not read the line, the recogniser read 2-09 with no letter probability,
    // and the confusion model (2 is one segment from E) made the alarm E-09 of the display's C-09.
    const l = latticeOf(dict, [{ '2': 0.39, '6': 0.34, '5': 0.16 }, {}, { '-': 0.99 }, {}, { '0': 0.99 }, {}, { '9': 0.99 }, {}]);
    const r = new LineGrammar().readLine(l, dict, { text: '2-09', confidence: 0.85 }, { confusion: 0.3, segment: 1 });
    assert.notEqual(r.kind, 'alarm', JSON.stringify(r));
  });

  test('a letter the recogniser itself gave real probability still makes the code on any display (6-79 with F second-best)', () => {
    const l = latticeOf(dict, [{ '6': 0.7, F: 0.25 }, {}, { '-': 0.95 }, {}, { '7': 0.96 }, {}, { '9': 0.96 }, {}]);
    const r = new LineGrammar().readLine(l, dict, { text: '6-79', confidence: 0.9 }, { confusion: 0.04, segment: 0 });
    assert.equal(r.kind, 'alarm', JSON.stringify(r));
    assert.equal(r.code, 'F-79');
  });

  test('a letter put where the recogniser read no character is a guess even on a clearly segmented display (3 183 is no E3 183)', () => {
    // A trace of E on a blank step ahead of the number (a ghost cell's glow), the digits read clearly.
    const l = latticeOf(dict, [{ '': 0.97, E: 0.03 }, { '3': 0.96 }, {}, { ' ': 0.9 }, {}, { '1': 0.96 }, {}, { '8': 0.96 }, {}, { '3': 0.96 }, {}]);
    const r = new LineGrammar().readLine(l, dict, { text: '3 183', confidence: 0.9 }, { confusion: 0.3, segment: 1 });
    assert.notEqual(r.kind, 'alarm', JSON.stringify(r));
    // The same display with the letter's cell read as a digit the recogniser half took for the letter: the letter takes
    // that digit's cell, and the code is read.
    const onDigit = latticeOf(dict, [{ E: 0.2, '3': 0.75 }, {}, { '3': 0.96 }, {}, { ' ': 0.9 }, {}, { '1': 0.96 }, {}, { '8': 0.96 }, {}, { '3': 0.96 }, {}]);
    assert.equal(new LineGrammar().readLine(onDigit, dict, { text: '33 183', confidence: 0.9 }, { confusion: 0.3, segment: 1 }).kind, 'alarm');
  });

  test('with a catalog that knows the code, the look-alike still decodes to it', () => {
    const r = read(new LineGrammar({ alarmPatterns: ['/A\\d{2} ?\\d{2}/'] }), 0.62);
    assert.equal(r.kind, 'alarm', JSON.stringify(r));
  });
});

describe('a code read as it is is not made a status by turning its digits into a name', () => {
  const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.: '];
  const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
  const clear = (text: string): LatticeStep[] => [...text].flatMap((ch) => [{ [ch]: 0.95 }, {}]);
  const read = (text: string, steps: LatticeStep[]) => plain.readLine(latticeOf(dict, steps), dict, { text, confidence: 0.9 }, { confusion: 0.3, segment: 1 });

  test('H24 on a segment display stays the code H24, not the status HZ 4 (a 2 of the run 24 read as a Z)', () => {
    const r = read('H24', clear('H24'));
    assert.equal(r.kind, 'alarm', JSON.stringify(r));
    assert.equal(r.code, 'H24');
    assert.equal(lettersInDigitRun('H24', 'HZ 4'), true);
  });

  test('a digit the recogniser read apart from the number may still be a name\'s letter (H2 50 is HZ 50); a named status read as one stays one', () => {
    assert.equal(lettersInDigitRun('H2 50', 'HZ 50'), false);
    const r = read('H2 50', [...clear('H2'), { ' ': 0.9 }, {}, ...clear('50')]);
    assert.equal(r.kind, 'status', JSON.stringify(r));
    assert.equal(r.name, 'HZ');
    assert.equal(read('RUN 1450', [...clear('RUN'), { ' ': 0.9 }, {}, ...clear('1450')]).kind, 'status');
  });
});

test('a percent sign the recogniser read after a number keeps the line a value: LOAD 8% read L081 8% is no code L0818', () => {
  const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:%° '];
  const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2);
  const clearly = (text: string): LatticeStep[] => [...text].flatMap((ch) => [{ [ch]: 0.95 }, {}]);
  for (const [read, segment] of [['L081 8%', 0.46], ['L081 84%', 1], ['F12 40°', 0.8]] as const) {
    const r = plain.readLine(latticeOf(dict, clearly(read)), dict, { text: read, confidence: 0.9 }, { confusion: 0.04 + 0.26 * segment, segment });
    assert.notEqual(r.kind, 'alarm', `${read} → ${JSON.stringify(r)}`);
    assert.equal(r.code, undefined);
  }
  // A code read as it is keeps being one; only the mark of a value stops the grammar.
  const code = plain.readLine(latticeOf(dict, clearly('E-51 3')), dict, { text: 'E-51 3', confidence: 0.9 }, { confusion: 0.3, segment: 1 });
  assert.equal(code.code, 'E-513');
});
