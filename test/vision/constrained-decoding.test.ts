// Grammar-constrained CTC decoding, the segment-confusion model and the
// alarm/status grammar, on hand-made lattices (no model needed).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileCharPattern, CharPatternError, nfaMatches } from '../../src/vision/ocr/char-pattern.js';
import { CompiledGrammar, decodeConstrained, type Lattice } from '../../src/vision/ocr/constrained-ctc.js';
import { CharacterDictionary } from '../../src/vision/ocr/ctc.js';
import { LineGrammar } from '../../src/vision/ocr/line-grammar.js';
import { AlarmCodeExtractor } from '../../src/vision/alarm-codes.js';
import { latticeOf, type LatticeStep } from '../helpers/lattice.js';
import { confusionsInto, segmentDistance } from '../../src/vision/ocr/segment-confusion.js';

const KEYS = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.:·'];
const dict = CharacterDictionary.fromKeys(KEYS, KEYS.length + 2); // blank, keys, space

const lattice = (steps: LatticeStep[]): Lattice => latticeOf(dict, steps);
/** Each character confidently, separated by blanks. */
function clear(text: string, p = 0.98): Array<Record<string, number>> {
  return [...text].flatMap((ch) => [{ [ch]: p }, { '': 0.99 }]);
}
const greedy = (text: string) => ({ text, confidence: 0.9 });

describe('constrained decoding', () => {
  // "6-317" where the first character is 6 (0.7) with E second-best (0.25).
  const sixFirst = lattice([{ '6': 0.7, E: 0.25 }, { '': 0.99 }, ...clear('-317')]);

  test('E second-best: a catalogued literal or a /regex/ turns 6-317 into E-317, and says what it cost', () => {
    for (const catalog of [['E-317'], ['/E-\\d{3}/'], ['F12', 'E-317', 'AL7735']]) {
      const g = new LineGrammar({ alarmPatterns: catalog });
      const r = g.readLine(sixFirst, dict, greedy('6-317'), { confusion: 0, segment: 0 });
      assert.equal(r.kind, 'alarm', JSON.stringify(r));
      assert.equal(r.code, 'E-317');
      assert.equal(r.raw, '6-317', 'the unconstrained reading is kept');
      assert.equal(r.changed, 1);
      // ln(0.7 / 0.25) ≈ 1.03 nats: the constraint changed one likely character.
      assert.ok(r.constraintCost! > 0.9 && r.constraintCost! < 1.2, `cost ${r.constraintCost}`);
      assert.ok(r.confidence > 0.5 && r.confidence < 0.98, `confidence ${r.confidence}`);
    }
  });

  test('an impossible code stays unconstrained: no alarm, and the forced reading is low-confidence', () => {
    // X clearly; E has the sliver of probability a softmax leaves every class.
    const xs = lattice([{ X: 0.98, E: 1e-5 }, { '': 0.99 }, ...clear('-317')]);
    const g = new LineGrammar({ alarmPatterns: ['E-317'] });
    const r = g.readLine(xs, dict, greedy('X-317'), { confusion: 0.3, segment: 1 });
    assert.equal(r.kind, 'text');
    assert.equal(r.text, 'X-317');
    assert.equal(r.code, undefined);
    const forced = decodeConstrained(xs, dict, new CompiledGrammar(compileCharPattern('E-317'), dict), { confusion: 0.3 });
    assert.ok(forced, 'the grammar can be forced');
    assert.equal(forced!.text, 'E-317');
    assert.ok(forced!.cost > g.maxCost, `cost ${forced!.cost} should exceed ${g.maxCost}`);
    // Forced through a character the recogniser gave no real probability, the reading is worth little.
    assert.ok(forced!.confidence < 0.3, `confidence ${forced!.confidence}`);
    // A grammar the lattice cannot reach at all yields nothing.
    assert.equal(decodeConstrained(lattice(clear('42')), dict, new CompiledGrammar(compileCharPattern('E-\\d{3}'), dict)), null);
  });

  test('the confidence of a constrained reading says how much the constraint changed', () => {
    const catalog = new CompiledGrammar(compileCharPattern('E-317'), dict);
    const clean = decodeConstrained(lattice(clear('E-317')), dict, catalog)!;
    assert.equal(clean.cost, 0);
    assert.ok(clean.confidence > 0.95, `a clean reading keeps its characters' mean: ${clean.confidence}`);
    // E second-best at 0.25, then at 0.05: the grammar changes the same character, the second time against more evidence.
    const likely = decodeConstrained(sixFirst, dict, catalog)!;
    const unlikely = decodeConstrained(lattice([{ '6': 0.9, E: 0.05 }, { '': 0.99 }, ...clear('-317')]), dict, catalog)!;
    assert.equal(likely.text, 'E-317');
    assert.equal(unlikely.text, 'E-317');
    assert.ok(unlikely.cost > likely.cost + 1, `costs ${likely.cost} ${unlikely.cost}`);
    // The confidence halves at every 7 nats (the default maxCost): ≈1 nat takes a tenth off, ≈2.9 nats a quarter.
    assert.ok(likely.confidence < 0.78, `changed reading ${likely.confidence}`);
    assert.ok(unlikely.confidence < likely.confidence - 0.1, `${unlikely.confidence} against ${likely.confidence}`);
    // The reading the line grammar reports carries that confidence, not the characters' plain mean.
    const read = new LineGrammar({ alarmPatterns: ['E-317'] }).readLine(sixFirst, dict, greedy('6-317'), { confusion: 0, segment: 0 });
    assert.equal(read.code, 'E-317');
    assert.ok(Math.abs(read.confidence - likely.confidence) < 1e-9, `${read.confidence}`);
  });

  test('segment confusion: with E not in the lattice at all, only a segment display lets 6-317 become E-317', () => {
    const noE = lattice([{ '6': 0.97 }, { '': 0.99 }, ...clear('-317')]);
    const g = new LineGrammar({ alarmPatterns: ['E-317'] });
    assert.equal(g.readLine(noE, dict, greedy('6-317'), { confusion: 0, segment: 0 }).kind, 'text');
    const seg = g.readLine(noE, dict, greedy('6-317'), { confusion: 0.3, segment: 1 });
    assert.equal(seg.code, 'E-317');
    // A dash read as a middle dot, and A read as 8 on a segment display.
    assert.equal(g.readLine(lattice([...clear('E'), ...clear('·317')]), dict, greedy('E·317'), { confusion: 0.3, segment: 1 }).code, 'E-317');
    const al = new LineGrammar({ alarmPatterns: ['AL7735'] });
    assert.equal(al.readLine(lattice(clear('8L7735')), dict, greedy('8L7735'), { confusion: 0.3, segment: 1 }).code, 'AL7735');
  });

  test('the look-alike table follows segment geometry', () => {
    assert.equal(segmentDistance('E', '6'), 1);
    assert.equal(segmentDistance('8', 'A'), 1);
    assert.equal(segmentDistance('0', 'U'), 1);
    assert.equal(segmentDistance('5', 'S'), 0);
    assert.equal(segmentDistance('1', 'I'), 0);
    assert.equal(segmentDistance('8', '1'), 5);
    const into = (c: string) => new Map(confusionsInto(c));
    assert.ok(into('E').get('6')! > 0.5);
    assert.ok(into('A').has('8') && into('A').has('R'));
    assert.ok(into('N').has('H'));
    assert.ok(into('S').get('5') === 1);
    assert.ok(into('-').has('·') && into('-').has(':'));
    assert.equal(into('E').get('X'), undefined, 'unrelated shapes do not stand in for each other');
    assert.equal(into('1').get('8'), undefined);
  });
});

describe('line grammar: alarm codes are not statuses', () => {
  const g = new LineGrammar();
  test('statuses and parameters are readings (name + value), never alarms', () => {
    const cases: Array<[string, string, string]> = [['RUN 1450', 'RUN', '1450'], ['SPEED 1450', 'SPEED', '1450'], ['TEMP 72C', 'TEMP', '72C'],
      ['MODE AUTO', 'MODE', 'AUTO'], ['LOAD 45%', 'LOAD', '45%'], ['1450', '', '1450'], ['READY', '', 'READY'], ['PRES 2.7', 'PRES', '2.7']];
    for (const [text, name, value] of cases) {
      const r = g.classifyText(text);
      assert.equal(r.kind, 'status', `${text}: ${JSON.stringify(r)}`);
      assert.deepEqual([r.name, r.value], [name, value], text);
      assert.equal(g.alarmCode(text), null, `${text} is not an alarm`);
    }
  });

  test('the default code grammar takes codes it has never seen, in any spacing', () => {
    for (const [text, code] of [['E-317', 'E-317'], ['AL7735', 'AL7735'], ['F12', 'F12'], ['ERR 04', 'ERR 04'], ['ALM 12', 'ALM 12'], ['h13', 'H13'], ['C-18', 'C-18']]) {
      assert.equal(g.classifyText(text).code, code, text);
    }
    assert.equal(g.alarmCode('RUN1450'), null, 'a status name followed by digits is not a code');
    assert.equal(g.alarmCode('OVERLOAD'), null);
    // Without a catalog a code starts with a usual alarm prefix: misread status lines are not alarms.
    for (const t of ['SEE 493', 'PE549', 'LOA 59', 'SPE 1450']) assert.equal(g.alarmCode(t), null, t);
    assert.equal(new LineGrammar({ alarmPrefixes: ['PE'] }).alarmCode('PE549'), 'PE549', 'the prefixes are configurable');
  });

  test('with a catalog, only the catalog makes alarms; a status stays a status under constraint', () => {
    const cat = new LineGrammar({ alarmPatterns: ['E-317', '/AL\\d{4}/'] });
    assert.equal(cat.classifyText('F12').kind, 'text');
    assert.equal(cat.classifyText('AL7735').code, 'AL7735');
    // RUN 1450 read with R/8 and U/0 confusions on a fourteen-segment display: the status grammar explains it, not an alarm.
    const run = lattice([{ '8': 0.6, R: 0.35 }, { '': 0.99 }, { '0': 0.6, U: 0.35 }, { '': 0.99 }, ...clear('N'), { ' ': 0.9 }, ...clear('1450')]);
    const r = new LineGrammar().readLine(run, dict, greedy('80N 1450'), { confusion: 0.3, segment: 1 });
    assert.equal(r.kind, 'status', JSON.stringify(r));
    assert.deepEqual([r.name, r.value], ['RUN', '1450']);
  });

  test('patterns: classes, repeats, alternation, optional spaces; bad patterns are named', () => {
    const nfa = compileCharPattern('(?:E|ERR)[- ]?\\d{2,3}');
    for (const ok of ['E-12', 'ERR 123', 'ERR04', 'E 12']) assert.ok(nfaMatches(nfa, ok), ok);
    for (const bad of ['E-1', 'ERR-1234', 'X-12']) assert.ok(!nfaMatches(nfa, bad), bad);
    assert.throws(() => compileCharPattern('E-[0-9'), CharPatternError);
    assert.throws(() => compileCharPattern('(E'), /unclosed group/);
  });
});

describe('catalog patterns: any letter case, the catalog spelling, status lines kept', () => {
  // Seven-segment displays draw b, c, d, r, u in lower case and the recogniser reads them so.
  const LOWER = [...KEYS, ...'abcdefghijklmnopqrstuvwxyz'];
  const dictLower = CharacterDictionary.fromKeys(LOWER, LOWER.length + 2);
  const lowerLattice = (steps: LatticeStep[]): Lattice => latticeOf(dictLower, steps);

  test('a lower-case reading matches an upper-case catalog pattern and is reported as the catalog spells it', () => {
    const cat = new LineGrammar({ alarmPatterns: ['/C-\\d{2}/', '/ERR[- ]?\\d{2,3}/', 'Err-5A'] });
    assert.equal(cat.classifyText('c-32').code, 'C-32');
    assert.equal(cat.classifyText('Err 08').code, 'ERR 08');
    assert.equal(cat.classifyText('ERR-5a').code, 'Err-5A', 'a literal is reported as written in the catalog');
    // From the lattice: "c-32" with no upper-case C at all decodes to the catalogued family, spelled C-32.
    const steps: LatticeStep[] = [{ c: 0.97 }, {}, { '-': 0.97 }, {}, { '3': 0.98 }, {}, { '2': 0.98 }, {}];
    const r = new LineGrammar({ alarmPatterns: ['/C-\\d{2}/', '/F-?\\d{2,3}/'] }).readLine(lowerLattice(steps), dictLower, greedy('c-32'), { confusion: 0.3, segment: 1 });
    assert.equal(r.kind, 'alarm', JSON.stringify(r));
    assert.equal(r.code, 'C-32');
    // Free text: the extractor folds case too, and spells the code as the pattern does.
    assert.deepEqual(new AlarmCodeExtractor(['/AL\\d{3,4}/', '/C-\\d{2}/']).extract(['al734', 'c-32 OVERHEAT']), ['AL734', 'C-32']);
  });

  test('a status line is never turned into a code: not by a loose pattern, not by a code inside a misread word', () => {
    const loose = new LineGrammar({ alarmPatterns: ['/[A-Z]+ ?\\d{4}/'] });
    const run = loose.classifyText('RUN 1450');
    assert.equal(run.kind, 'status', JSON.stringify(run));
    assert.deepEqual([run.name, run.value], ['RUN', '1450']);
    const read = loose.readLine(lowerLattice([{ R: 0.95 }, {}, { U: 0.95 }, {}, { N: 0.95 }, { ' ': 0.9 }, { '1': 0.98 }, {}, { '4': 0.98 }, {}, { '5': 0.98 }, {}, { '0': 0.98 }]),
      dictLower, greedy('RUN 1450'), { confusion: 0.3, segment: 1 });
    assert.equal(read.kind, 'status', JSON.stringify(read));
    assert.equal(loose.classifyText('ALM 1450').kind, 'alarm', 'a code line is still a code');
    // SET 2087 read as 5EE2087: E\d{2,3} must not find E208 inside it (it cuts the word and the number).
    const extractor = new AlarmCodeExtractor(['/E\\d{2,3}/']);
    assert.deepEqual(extractor.extract(['5EE2087', 'SPEED2979E']), []);
    assert.deepEqual(extractor.extract(['ALARM E208 OVERLOAD', '电机故障E317']), ['E208', 'E317']);
    // PRES 7.6 read P2E588.6: E588 would cut the value 588.6 at its decimal point.
    assert.deepEqual(extractor.extract(['P2E588.6', 'E58,25']), []);
    assert.deepEqual(extractor.extract(['E588. STOP', 'E317.']), ['E588', 'E317'], 'a point not followed by a digit cuts nothing');
    // SPEED 2504 on a seven-segment LED read 58E62 2504 (scripts/gen-panels.ts seed 380 frame 44): E62 glued behind a
    // number and nothing else is the end of a word read as digits, no code (with the catalog it was reported as an alarm).
    assert.deepEqual(extractor.extract(['58E62 2504', '2E62']), []);
    assert.deepEqual(extractor.extract(['58 E62', 'STOP:E62', 'M2E62']), ['E62'], 'standing apart, or glued to a word');
  });
});

describe('the default code grammar decodes with no more digits than a code may gain', () => {
  test('FLE25 (a seven-segment t read E, a 6 next likeliest, a T after it) is FLT25, not FL625 filtered away', () => {
    const l = lattice([...clear('FL'), { E: 0.9, '6': 0.06, T: 0.03 }, { '': 0.99 }, ...clear('25')]);
    const r = new LineGrammar().readLine(l, dict, greedy('FLE25'), { confusion: 0, segment: 0 });
    assert.equal(r.kind, 'alarm', JSON.stringify(r));
    assert.equal(r.code, 'FLT25');
    assert.equal(r.raw, 'FLE25');
    assert.equal(r.changed, 1);
    // On a segment display a code may gain one digit (a letter read where the cells show a digit): FL625 stands there.
    const seg = new LineGrammar().readLine(l, dict, greedy('FLE25'), { confusion: 0, segment: 1 });
    assert.equal(seg.code, 'FL625', JSON.stringify(seg));
  });
});

describe('a dash read before a line\'s first glyph', () => {
  // A seven-segment status READY drawn rEAdy on a dim LCD, read -E889: the r's middle bar alone came through as a dash
  // (here unsure, 0.5), E sure. Dropping the dash made the code E889 under the catalog's /E\d{2,3}/ and without one.
  const ready = lattice([{ '-': 0.5 }, {}, { E: 0.999 }, {}, { '8': 0.9 }, {}, { '8': 0.6, '9': 0.3 }, {}, { '9': 0.9 }, {}]);

  test('is a glyph of the line: no code is made by leaving it out', () => {
    for (const g of [new LineGrammar({ alarmPatterns: ['/E-\\d{3}/', '/E\\d{2,3}/', '/C-\\d{2}/'] }), new LineGrammar()]) {
      const r = g.readLine(ready, dict, greedy('-E889'), { confusion: 0.3, segment: 1 });
      assert.notEqual(r.kind, 'alarm', JSON.stringify(r));
      assert.equal(r.raw, '-E889');
    }
  });

  test('a code that keeps it is still read: the dash of E-889 with its E sure', () => {
    const code = lattice([{ E: 0.9 }, {}, { '-': 0.9 }, {}, ...clear('889')]);
    assert.equal(new LineGrammar({ alarmPatterns: ['/E-\\d{3}/'] }).readLine(code, dict, greedy('E-889'), { confusion: 0.3, segment: 1 }).code, 'E-889');
  });
});
